using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Participatie.Notifications.Delivery.Sms;
using Participatie.SmsStandIn;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.Services.AddProblemDetails();
builder.Services.AddOptions<StandInOptions>().BindConfiguration("SmsStandIn")
    .Validate(options => options.ApiKey.Length > 0 && options.ReportSecret.Length > 0, "SmsStandIn:ApiKey and SmsStandIn:ReportSecret are required.")
    .ValidateOnStart();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<MessageLog>();
builder.Services.AddSingleton<DeliveryReporter>();
builder.Services.AddHostedService(services => services.GetRequiredService<DeliveryReporter>());
builder.Services.AddHttpClient(DeliveryReporter.HttpClientName);

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapDefaultEndpoints();

app.MapPost("/v1/messages", (HttpContext context, SendRequest request, MessageLog log, DeliveryReporter reporter, IOptions<StandInOptions> options, TimeProvider clock) =>
{
    if (!HasApiKey(context, options.Value.ApiKey))
    {
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return Results.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: "The API key is missing or wrong.",
            detail: "Send the key as 'Authorization: Bearer <key>'.");
    }

    var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
    if (string.IsNullOrEmpty(request.To) || !TestNumbers.InternationalNumber().IsMatch(request.To))
    {
        errors["to"] = ["Give the number in international form (E.164), for example +31612345678."];
    }

    var size = SmsSegments.Count(request.Body ?? string.Empty);
    if (string.IsNullOrEmpty(request.Body))
    {
        errors["body"] = ["The message has no text."];
    }
    else if (size.Segments > SmsSegments.MaxSegments)
    {
        errors["body"] = [$"The message takes {size.Segments} segments ({size.Encoding}, {size.Units} units); at most {SmsSegments.MaxSegments} are taken."];
    }

    if (request.StatusCallbackUrl is not null
        && !(Uri.TryCreate(request.StatusCallbackUrl, UriKind.Absolute, out var callback) && callback.Scheme is "http" or "https"))
    {
        errors["statusCallbackUrl"] = ["Give an absolute http or https URL."];
    }

    if (errors.Count > 0)
    {
        return Results.ValidationProblem(errors);
    }

    var message = new RecordedMessage(
        "SM" + Guid.NewGuid().ToString("N"),
        request.To!,
        request.Body!,
        request.Reference,
        request.StatusCallbackUrl,
        size.Segments,
        size.Encoding == SmsEncoding.Gsm7 ? "gsm-7" : "ucs-2",
        clock.GetUtcNow());
    log.Add(message);
    reporter.Schedule(message);
    return Results.Created($"/v1/messages/{message.Id}", new SendResponse(message.Id, message.Segments));
});

// Open to read, like a local mail server's web page: a stand-in holds only what the demo and the tests sent it.
app.MapGet("/v1/messages", (MessageLog log) => Results.Ok(log.All()));
app.MapGet("/v1/messages/{id}", (string id, MessageLog log) =>
    log.Find(id) is { } message ? Results.Ok(message) : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "There is no such message."));
app.MapGet("/", () => Results.Redirect("/v1/messages"));

await app.RunAsync();

static bool HasApiKey(HttpContext context, string apiKey)
{
    var header = context.Request.Headers.Authorization.ToString();
    const string scheme = "Bearer ";
    return header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()), Encoding.UTF8.GetBytes(apiKey));
}
