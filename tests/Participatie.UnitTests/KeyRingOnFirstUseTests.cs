using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Participatie.BuildingBlocks.Auth;

namespace Participatie.UnitTests;

/// <summary>
/// A service that only validates bearer tokens makes no Data Protection key ring when it starts
/// (<see cref="AuthenticationExtensions.KeyRingOnFirstUse"/>); one is made when something protects a payload, and a
/// service that uses Data Protection itself still loads its ring at the start.
/// </summary>
public sealed class KeyRingOnFirstUseTests
{
    [Fact]
    public async Task A_bearer_token_service_reads_or_writes_no_key_ring_when_it_starts()
    {
        var keys = new RecordingKeyRepository();
        using var host = Build(keys, usesDataProtection: false);

        await host.StartAsync(Cancel);
        await host.StopAsync(Cancel);

        Assert.Equal(0, keys.Reads);
        Assert.Empty(keys.Stored);
    }

    [Fact]
    public async Task The_key_ring_is_made_when_something_protects_a_payload()
    {
        var keys = new RecordingKeyRepository();
        using var host = Build(keys, usesDataProtection: false);
        await host.StartAsync(Cancel);

        var protector = host.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test");
        var payload = protector.Protect("draagvlakmeting");

        Assert.Equal("draagvlakmeting", protector.Unprotect(payload));
        Assert.Single(keys.Stored);
        await host.StopAsync(Cancel);
    }

    [Fact]
    public async Task A_service_that_uses_Data_Protection_itself_loads_its_key_ring_at_the_start()
    {
        var keys = new RecordingKeyRepository();
        using var host = Build(keys, usesDataProtection: true);

        await host.StartAsync(Cancel);
        await host.StopAsync(Cancel);

        Assert.True(keys.Reads > 0);
        Assert.Single(keys.Stored);
    }

    private static IHost Build(RecordingKeyRepository keys, bool usesDataProtection)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.AddParticipatieAuthentication();
        if (usesDataProtection)
        {
            // As partner coordination's AddSharedKeyRing does, after the shared wiring.
            builder.Services.AddDataProtection();
        }

        builder.Services.Configure<KeyManagementOptions>(options => options.XmlRepository = keys);
        return builder.Build();
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private sealed class RecordingKeyRepository : IXmlRepository
    {
        private readonly List<XElement> _stored = [];
        private int _reads;

        public int Reads => Volatile.Read(ref _reads);

        public IReadOnlyList<XElement> Stored
        {
            get
            {
                lock (_stored)
                {
                    return [.. _stored];
                }
            }
        }

        public IReadOnlyCollection<XElement> GetAllElements()
        {
            Interlocked.Increment(ref _reads);
            lock (_stored)
            {
                return [.. _stored];
            }
        }

        public void StoreElement(XElement element, string friendlyName)
        {
            lock (_stored)
            {
                _stored.Add(element);
            }
        }
    }
}
