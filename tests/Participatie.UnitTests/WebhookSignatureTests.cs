using System.Net;
using System.Text;
using Participatie.Notifications.Subscriptions;

namespace Participatie.UnitTests;

public sealed class WebhookSignatureTests
{
    // The example of the Standard Webhooks specification (and of its reference libraries).
    private const string SpecSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string SpecMessageId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long SpecTimestamp = 1614265330;
    private const string SpecBody = "{\"test\": 2432232314}";
    private const string SpecSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    [Fact]
    public void Signs_the_example_of_the_specification_as_it_gives()
    {
        Assert.Equal(SpecSignature, WebhookSignature.Sign(SpecSecret, SpecMessageId, SpecTimestamp, SpecBody));
        Assert.True(WebhookSignature.Verify(SpecSecret, SpecMessageId, SpecTimestamp, SpecBody, SpecSignature));
    }

    [Fact]
    public void Verification_fails_when_one_byte_of_the_body_id_or_timestamp_changes()
    {
        var bytes = Encoding.UTF8.GetBytes(SpecBody);
        bytes[3] ^= 0x01;
        Assert.False(WebhookSignature.Verify(SpecSecret, SpecMessageId, SpecTimestamp, Encoding.UTF8.GetString(bytes), SpecSignature));
        Assert.False(WebhookSignature.Verify(SpecSecret, SpecMessageId + "x", SpecTimestamp, SpecBody, SpecSignature));
        Assert.False(WebhookSignature.Verify(SpecSecret, SpecMessageId, SpecTimestamp + 1, SpecBody, SpecSignature));
        Assert.False(WebhookSignature.Verify(WebhookSignature.NewSecret(), SpecMessageId, SpecTimestamp, SpecBody, SpecSignature));
    }

    [Fact]
    public void During_a_rotation_the_header_carries_a_signature_per_secret_and_each_verifies()
    {
        var next = WebhookSignature.NewSecret();
        var header = WebhookSignature.SignWithAll([next, SpecSecret], SpecMessageId, SpecTimestamp, SpecBody);

        Assert.Equal(2, header.Split(' ').Length);
        Assert.EndsWith(" " + SpecSignature, header, StringComparison.Ordinal);
        Assert.True(WebhookSignature.Verify(next, SpecMessageId, SpecTimestamp, SpecBody, header));
        Assert.True(WebhookSignature.Verify(SpecSecret, SpecMessageId, SpecTimestamp, SpecBody, header));
    }

    [Fact]
    public void A_new_secret_is_32_random_bytes_after_the_prefix()
    {
        var secret = WebhookSignature.NewSecret();

        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(secret["whsec_".Length..]).Length);
        Assert.NotEqual(secret, WebhookSignature.NewSecret());
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.0.0.8")]
    [InlineData("172.16.5.4")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("::1")]
    [InlineData("fe80::1")]
    [InlineData("fd00::1")]
    [InlineData("::ffff:10.0.0.1")]
    public void Private_loopback_and_link_local_addresses_are_not_public(string address) =>
        Assert.False(CallbackUrlPolicy.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("93.184.215.14")]
    [InlineData("2606:2800:21f:cb07:6820:80da:af6b:8b2c")]
    public void Public_addresses_are_public(string address) => Assert.True(CallbackUrlPolicy.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("http://93.184.215.14/hook")]
    [InlineData("https://127.0.0.1/hook")]
    [InlineData("https://[::1]/hook")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    public async Task Outside_development_plain_http_and_private_callbacks_are_refused(string url)
    {
        Assert.NotNull(await CallbackUrlPolicy.RefusalAsync(url, allowPrivate: false, TestContext.Current.CancellationToken));
        Assert.Null(await CallbackUrlPolicy.RefusalAsync(url, allowPrivate: true, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_public_https_callback_is_accepted() =>
        Assert.Null(await CallbackUrlPolicy.RefusalAsync("https://93.184.215.14/hook", allowPrivate: false, TestContext.Current.CancellationToken));
}
