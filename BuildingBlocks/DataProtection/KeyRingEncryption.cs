using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;

namespace Participatie.BuildingBlocks.DataProtection;

/// <summary>
/// The key-encryption key of the Data Protection key ring: HKDF of a configured secret, with a purpose of its own, so
/// that the same secret used for another purpose (the token keys' protector) gives an unrelated key. A copy of the
/// database alone (a backup, a read-only role) then cannot forge or read cookies.
/// </summary>
public sealed class KeyRingEncryptionKey
{
    private static readonly byte[] Purpose = Encoding.UTF8.GetBytes("participatie data protection key ring v1");

    public KeyRingEncryptionKey(string secret, string settingName)
    {
        if (secret.Length < 32)
        {
            throw new InvalidOperationException($"Setting '{settingName}' must have at least 32 characters.");
        }

        Key = HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret), 32, salt: [], info: Purpose);
    }

    internal byte[] Key { get; }
}

/// <summary>
/// Encrypts each key element of the ring with AES-256-GCM under <see cref="KeyRingEncryptionKey"/> before it is stored;
/// the element's name is bound into the tag, so a ciphertext cannot pass for another kind of element.
/// </summary>
public sealed class KeyRingEncryptor(KeyRingEncryptionKey key) : IXmlEncryptor
{
    /// <summary>The element that holds a sealed key descriptor in the stored key ring.</summary>
    public const string ElementName = "aesGcmEncryptedKey";
    internal const int NonceSize = 12;
    internal const int TagSize = 16;

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var nonce = RandomNumberGenerator.GetBytes(NonceSize);
        var sealedElement = new byte[NonceSize + TagSize + plaintext.Length];
        nonce.CopyTo(sealedElement, 0);
        using (var aes = new AesGcm(key.Key, TagSize))
        {
            aes.Encrypt(nonce, plaintext, sealedElement.AsSpan(NonceSize + TagSize), sealedElement.AsSpan(NonceSize, TagSize), Encoding.UTF8.GetBytes(ElementName));
        }

        CryptographicOperations.ZeroMemory(plaintext);
        return new EncryptedXmlInfo(new XElement(ElementName, new XAttribute("version", "1"), Convert.ToBase64String(sealedElement)), typeof(KeyRingDecryptor));
    }
}

/// <summary>
/// Reads what <see cref="KeyRingEncryptor"/> wrote. The framework makes it by its type name from the stored element,
/// with the application's services, hence the constructor.
/// </summary>
public sealed class KeyRingDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        if (encryptedElement.Name != KeyRingEncryptor.ElementName || (string?)encryptedElement.Attribute("version") != "1")
        {
            throw new CryptographicException($"The key ring element '{encryptedElement.Name}' is not in a known encrypted form.");
        }

        var key = services.GetRequiredService<KeyRingEncryptionKey>();
        var sealedElement = Convert.FromBase64String(encryptedElement.Value);
        var plaintext = new byte[sealedElement.Length - KeyRingEncryptor.NonceSize - KeyRingEncryptor.TagSize];
        using (var aes = new AesGcm(key.Key, KeyRingEncryptor.TagSize))
        {
            aes.Decrypt(
                sealedElement.AsSpan(0, KeyRingEncryptor.NonceSize),
                sealedElement.AsSpan(KeyRingEncryptor.NonceSize + KeyRingEncryptor.TagSize),
                sealedElement.AsSpan(KeyRingEncryptor.NonceSize, KeyRingEncryptor.TagSize),
                plaintext,
                Encoding.UTF8.GetBytes(KeyRingEncryptor.ElementName));
        }

        try
        {
            return XElement.Parse(Encoding.UTF8.GetString(plaintext));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}
