using System.Security.Cryptography;
using System.Text;

namespace Participatie.PartnerCoordination.Identity;

/// <summary>
/// Encrypts the token keys' private parts at rest with a key-encryption key from configuration
/// (<c>Identity:TokenKeyEncryptionKey</c>, an AppHost secret), so that a copy of the database alone (a backup, a
/// read-only role) does not let anyone sign tokens. AES-256-GCM, bound to the key's id so that a ciphertext cannot be
/// moved to another row.
/// </summary>
public sealed class TokenKeyProtector
{
    public const string ConfigurationKey = "Identity:TokenKeyEncryptionKey";
    private const string Version = "v1:";
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private static readonly byte[] Purpose = Encoding.UTF8.GetBytes("participatie token keys v1");

    private readonly byte[] _key;

    public TokenKeyProtector(IConfiguration configuration)
        : this(configuration[ConfigurationKey] ?? throw new InvalidOperationException(
            $"Setting '{ConfigurationKey}' is missing: the token keys are never stored unencrypted."))
    {
    }

    public TokenKeyProtector(string secret)
    {
        if (secret.Length < 32)
        {
            throw new InvalidOperationException($"Setting '{ConfigurationKey}' must have at least 32 characters.");
        }

        // The configured secret is text; HKDF turns it into a key of exactly AES-256's size.
        _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret), 32, salt: [], info: Purpose);
    }

    public string Protect(string keyId, byte[] privateKey)
    {
        var nonce = RandomNumberGenerator.GetBytes(NonceSize);
        var sealedKey = new byte[NonceSize + TagSize + privateKey.Length];
        nonce.CopyTo(sealedKey, 0);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(
            nonce,
            privateKey,
            sealedKey.AsSpan(NonceSize + TagSize),
            sealedKey.AsSpan(NonceSize, TagSize),
            Encoding.UTF8.GetBytes(keyId));
        return Version + Convert.ToBase64String(sealedKey);
    }

    public byte[] Unprotect(string keyId, string protectedKey)
    {
        if (!protectedKey.StartsWith(Version, StringComparison.Ordinal))
        {
            throw new CryptographicException($"Token key {keyId} is not in a known protected form.");
        }

        var sealedKey = Convert.FromBase64String(protectedKey[Version.Length..]);
        var privateKey = new byte[sealedKey.Length - NonceSize - TagSize];
        using var aes = new AesGcm(_key, TagSize);
        aes.Decrypt(
            sealedKey.AsSpan(0, NonceSize),
            sealedKey.AsSpan(NonceSize + TagSize),
            sealedKey.AsSpan(NonceSize, TagSize),
            privateKey,
            Encoding.UTF8.GetBytes(keyId));
        return privateKey;
    }
}
