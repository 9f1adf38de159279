using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Participatie.DemoData;

var builder = Host.CreateApplicationBuilder(args);
builder.AddServiceDefaults();
builder.Services.AddHttpClient<DemoScenario>(client => client.BaseAddress = new Uri("http://gateway"));

using var host = builder.Build();
await host.StartAsync();
await host.Services.GetRequiredService<DemoScenario>().RunAsync(CancellationToken.None);
await host.StopAsync();
