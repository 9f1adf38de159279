using System.Text;
using Microsoft.Extensions.Time.Testing;
using Participatie.Client;
using PlatformSigner = Participatie.Notifications.Subscriptions.WebhookSignature;

namespace Participatie.UnitTests;

/// <summary>The .NET client's check of a delivery's signature, as a partner's receiver calls it.</summary>
public sealed class ClientWebhookSignatureTests
{
    // The example of the Standard Webhooks specification (and of its reference libraries).
    private const string SpecSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string SpecMessageId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long SpecTimestamp = 1614265330;
    private const string SpecBody = "{\"test\": 2432232314}";
    private const string SpecSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    private static readonly FakeTimeProvider AtSigning = new(DateTimeOffset.FromUnixTimeSeconds(SpecTimestamp));

    [Fact]
    public void The_example_of_the_specification_verifies_with_headers_named_in_any_case()
    {
        Assert.True(WebhookSignature.Verify(SpecSecret, Headers(), SpecBody, AtSigning));
        Assert.True(WebhookSignature.Verify(SpecSecret, Headers().Select(h => KeyValuePair.Create(h.Key.ToUpperInvariant(), h.Value)), SpecBody, AtSigning));
    }

    [Fact]
    public void One_changed_byte_of_the_body_fails()
    {
        var bytes = Encoding.UTF8.GetBytes(SpecBody);
        bytes[3] ^= 0x01;

        Assert.False(WebhookSignature.Verify(SpecSecret, Headers(), Encoding.UTF8.GetString(bytes), AtSigning));
    }

    [Fact]
    public void A_changed_id_or_signature_another_secret_or_a_missing_header_fails()
    {
        Assert.False(WebhookSignature.Verify(SpecSecret, Headers(id: SpecMessageId + "x"), SpecBody, AtSigning));
        Assert.False(WebhookSignature.Verify(SpecSecret, Headers(signature: SpecSignature.Replace('g', 'h')), SpecBody, AtSigning));
        Assert.False(WebhookSignature.Verify(PlatformSigner.NewSecret(), Headers(), SpecBody, AtSigning));
        Assert.False(WebhookSignature.Verify(SpecSecret, Headers().Where(h => h.Key != WebhookSignature.TimestampHeader), SpecBody, AtSigning));
        Assert.False(WebhookSignature.Verify("whsec_not base64!", Headers(), SpecBody, AtSigning));
    }

    [Fact]
    public void A_timestamp_older_or_later_than_five_minutes_fails_though_the_signature_is_right()
    {
        var signedAt = DateTimeOffset.FromUnixTimeSeconds(SpecTimestamp);

        Assert.True(WebhookSignature.Verify(SpecSecret, Headers(), SpecBody, new FakeTimeProvider(signedAt.AddMinutes(5))));
        Assert.False(WebhookSignature.Verify(SpecSecret, Headers(), SpecBody, new FakeTimeProvider(signedAt.AddMinutes(5).AddSeconds(1))));
        Assert.False(WebhookSignature.Verify(SpecSecret, Headers(), SpecBody, new FakeTimeProvider(signedAt.AddMinutes(-6))));
        // Today, the specification's example of 2021 is a replay.
        Assert.False(WebhookSignature.Verify(SpecSecret, Headers(), SpecBody));
    }

    [Fact]
    public void What_the_platform_signs_during_a_rotation_verifies_with_either_secret()
    {
        var previous = PlatformSigner.NewSecret();
        var next = PlatformSigner.NewSecret();
        var now = DateTimeOffset.UtcNow;
        const string body = "{\"specversion\":\"1.0\",\"type\":\"nl.participatie.reaction.submitted\",\"data\":{\"naam\":\"Ünïcödé\"}}";
        var header = PlatformSigner.SignWithAll([next, previous], "msg_1", now.ToUnixTimeSeconds(), body);
        var headers = Headers("msg_1", now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), header);

        Assert.True(WebhookSignature.Verify(previous, headers, body));
        Assert.True(WebhookSignature.Verify(next, headers, body));
        Assert.False(WebhookSignature.Verify(PlatformSigner.NewSecret(), headers, body));
    }

    private static Dictionary<string, string> Headers(string id = SpecMessageId, string timestamp = "1614265330", string signature = SpecSignature) =>
        new(StringComparer.Ordinal)
        {
            [WebhookSignature.IdHeader] = id,
            [WebhookSignature.TimestampHeader] = timestamp,
            [WebhookSignature.SignatureHeader] = signature,
        };
}
