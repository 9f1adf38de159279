using System.Security.Cryptography;
using System.Text;

namespace Participatie.PartnerCoordination.Identity;

/// <summary>
/// Encrypts the token keys' private parts at rest with a key-encryption key from configuration
/// (<c>Identity:TokenKeyEncryptionKey</c>, an AppHost secret), so that a copy of the database alone (a backup, a
/// read-only role) does not let anyone sign tokens. AES-256-GCM, bound to the key's id so that a ciphertext cannot be
/// moved to another row.
/// <para>
/// The key-encryption key rotates: the new one becomes <c>Identity:TokenKeyEncryptionKey</c> and the old one moves to
/// <c>Identity:PreviousTokenKeyEncryptionKeys</c>, which only opens keys; <see cref="TokenKeys.RotateAsync"/> (at start
/// and every hour) re-wraps every stored key with the current one, after which the previous one can be removed.
/// </para>
/// </summary>
public sealed class TokenKeyProtector
{
    public const string ConfigurationKey = "Identity:TokenKeyEncryptionKey";
    public const string PreviousKeysConfigurationKey = "Identity:PreviousTokenKeyEncryptionKeys";

    // v1 names no key-encryption key (it predates their rotation): it is tried against each configured one.
    private const string LegacyVersion = "v1:";

    // v2:<key-encryption key id>:<nonce | tag | ciphertext>, so that the key that opens a row is found at once.
    private const string Version = "v2:";
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int MinimumSecretLength = 32;
    private static readonly byte[] Purpose = Encoding.UTF8.GetBytes("participatie token keys v1");
    private static readonly byte[] IdPurpose = Encoding.UTF8.GetBytes("participatie token key-encryption key id v1");

    private readonly KeyEncryptionKey _current;
    private readonly IReadOnlyList<KeyEncryptionKey> _previous;

    public TokenKeyProtector(IConfiguration configuration)
        : this(
            configuration[ConfigurationKey] ?? throw new InvalidOperationException(
                $"Setting '{ConfigurationKey}' is missing: the token keys are never stored unencrypted."),
            [.. configuration.GetSection(PreviousKeysConfigurationKey).GetChildren().Select(child => child.Value).OfType<string>()])
    {
    }

    public TokenKeyProtector(string secret, IReadOnlyList<string>? previousSecrets = null)
    {
        _current = KeyEncryptionKey.From(secret, ConfigurationKey);
        _previous = [.. (previousSecrets ?? []).Where(previous => previous.Length > 0)
            .Select(previous => KeyEncryptionKey.From(previous, PreviousKeysConfigurationKey))];
        if (_previous.Any(previous => previous.Id == _current.Id))
        {
            throw new InvalidOperationException($"Setting '{PreviousKeysConfigurationKey}' repeats the current key-encryption key.");
        }
    }

    /// <summary>The id of the current key-encryption key: not secret, derived from it one way.</summary>
    public string CurrentKeyId => _current.Id;

    /// <summary>Encrypts a private key with the current key-encryption key.</summary>
    public string Protect(string keyId, byte[] privateKey)
    {
        var nonce = RandomNumberGenerator.GetBytes(NonceSize);
        var sealedKey = new byte[NonceSize + TagSize + privateKey.Length];
        nonce.CopyTo(sealedKey, 0);
        using var aes = new AesGcm(_current.Key, TagSize);
        aes.Encrypt(
            nonce,
            privateKey,
            sealedKey.AsSpan(NonceSize + TagSize),
            sealedKey.AsSpan(NonceSize, TagSize),
            Encoding.UTF8.GetBytes(keyId));
        return $"{Version}{_current.Id}:{Convert.ToBase64String(sealedKey)}";
    }

    /// <summary>Opens a private key with whichever configured key-encryption key wrapped it.</summary>
    public byte[] Unprotect(string keyId, string protectedKey)
    {
        if (protectedKey.StartsWith(Version, StringComparison.Ordinal))
        {
            var rest = protectedKey.AsSpan(Version.Length);
            var separator = rest.IndexOf(':');
            if (separator < 0)
            {
                throw new CryptographicException($"Token key {keyId} is not in a known protected form.");
            }

            var wrappedWith = rest[..separator].ToString();
            var kek = _current.Id == wrappedWith ? _current : _previous.FirstOrDefault(previous => previous.Id == wrappedWith)
                ?? throw new CryptographicException(
                    $"Token key {keyId} was wrapped with key-encryption key {wrappedWith}, which is neither '{ConfigurationKey}' " +
                    $"nor one of '{PreviousKeysConfigurationKey}'.");
            return Open(kek, keyId, Convert.FromBase64String(rest[(separator + 1)..].ToString()));
        }

        if (protectedKey.StartsWith(LegacyVersion, StringComparison.Ordinal))
        {
            var sealedKey = Convert.FromBase64String(protectedKey[LegacyVersion.Length..]);
            CryptographicException? last = null;
            foreach (var kek in _previous.Prepend(_current))
            {
                try
                {
                    return Open(kek, keyId, sealedKey);
                }
                catch (CryptographicException exception)
                {
                    // The authentication tag tells a wrong key-encryption key apart; the next one may be right.
                    last = exception;
                }
            }

            throw last!;
        }

        throw new CryptographicException($"Token key {keyId} is not in a known protected form.");
    }

    /// <summary>Whether a stored key is wrapped with the current key-encryption key (else it is due for re-wrapping).</summary>
    public bool IsWrappedWithCurrentKey(string protectedKey) =>
        protectedKey.StartsWith($"{Version}{_current.Id}:", StringComparison.Ordinal);

    private static byte[] Open(KeyEncryptionKey kek, string keyId, byte[] sealedKey)
    {
        if (sealedKey.Length < NonceSize + TagSize)
        {
            throw new CryptographicException($"Token key {keyId} is too short to be a protected key.");
        }

        var privateKey = new byte[sealedKey.Length - NonceSize - TagSize];
        using var aes = new AesGcm(kek.Key, TagSize);
        aes.Decrypt(
            sealedKey.AsSpan(0, NonceSize),
            sealedKey.AsSpan(NonceSize + TagSize),
            sealedKey.AsSpan(NonceSize, TagSize),
            privateKey,
            Encoding.UTF8.GetBytes(keyId));
        return privateKey;
    }

    private sealed record KeyEncryptionKey(string Id, byte[] Key)
    {
        public static KeyEncryptionKey From(string secret, string setting)
        {
            if (secret.Length < MinimumSecretLength)
            {
                throw new InvalidOperationException($"Setting '{setting}' must have at least {MinimumSecretLength} characters.");
            }

            // The configured secret is text; HKDF turns it into a key of exactly AES-256's size, and separately into
            // an id that names it in each stored row without revealing anything of the key.
            var material = Encoding.UTF8.GetBytes(secret);
            var key = HKDF.DeriveKey(HashAlgorithmName.SHA256, material, 32, salt: [], info: Purpose);
            var id = Convert.ToHexStringLower(HKDF.DeriveKey(HashAlgorithmName.SHA256, material, 8, salt: [], info: IdPurpose));
            return new KeyEncryptionKey(id, key);
        }
    }
}
