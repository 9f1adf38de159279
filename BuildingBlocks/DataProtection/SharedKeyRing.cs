using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Participatie.BuildingBlocks.DataProtection;

/// <summary>
/// ASP.NET Core Data Protection (cookies, antiforgery tokens, anything protected) shared by every replica of a
/// service: one application name, so that replicas (whose content roots may differ) accept each other's payloads, and
/// one key ring in the service's database, encrypted at rest. Without it each replica made a key ring of its own and
/// a sign-in cookie issued by one was refused by the other.
/// </summary>
public static class SharedKeyRing
{
    /// <summary>
    /// Keeps the key ring in the service's database (the table <c>data_protection_keys</c>, which the service's own
    /// migration must create) and encrypts it with a key derived from the secret in <paramref name="secretSetting"/>.
    /// </summary>
    public static IDataProtectionBuilder AddSharedKeyRing(this IServiceCollection services, IConfiguration configuration, string applicationName, string secretSetting)
    {
        var secret = configuration[secretSetting]
            ?? throw new InvalidOperationException($"Setting '{secretSetting}' is missing: the Data Protection key ring is never stored unencrypted.");
        services.AddSingleton(new KeyRingEncryptionKey(secret, secretSetting));
        // The repository needs the data source, a service; the framework's own PersistKeysTo... helpers do the same.
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(provider => new ConfigureOptions<KeyManagementOptions>(options =>
        {
            options.XmlRepository = new PostgresXmlRepository(provider.GetRequiredService<NpgsqlDataSource>());
            options.XmlEncryptor = new KeyRingEncryptor(provider.GetRequiredService<KeyRingEncryptionKey>());
        }));
        return services.AddDataProtection().SetApplicationName(applicationName);
    }
}
