using System.Net;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Participatie.ResidentPortal.Gateway;

namespace Participatie.UnitTests;

/// <summary>
/// The portal's answer to the token server: only invalid_grant (the code or refresh token itself is no good) counts
/// as refused; a busy, failing or unreachable token server keeps the resident's session and asks them to try again.
/// </summary>
public sealed class ResidentPortalTokenRefreshTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, """{"error":"invalid_grant"}""", typeof(TokenOutcome.Refused))]
    [InlineData(HttpStatusCode.BadRequest, """{"error":"invalid_request"}""", typeof(TokenOutcome.Unavailable))]
    [InlineData(HttpStatusCode.Unauthorized, """{"error":"invalid_client"}""", typeof(TokenOutcome.Unavailable))]
    [InlineData(HttpStatusCode.InternalServerError, "", typeof(TokenOutcome.Unavailable))]
    [InlineData(HttpStatusCode.ServiceUnavailable, "<html>busy</html>", typeof(TokenOutcome.Unavailable))]
    [InlineData(HttpStatusCode.TooManyRequests, """{"error":"slow_down"}""", typeof(TokenOutcome.Locked))]
    [InlineData(HttpStatusCode.OK, """{"access_token":"new","refresh_token":"next","expires_in":300}""", typeof(TokenOutcome.Issued))]
    public async Task The_token_servers_answer_is_read_as_refused_only_for_invalid_grant(HttpStatusCode status, string body, Type expected)
    {
        var outcome = await TokenClient(new TokenServer(status, body)).RefreshAsync("refresh", Cancel);

        Assert.IsType(expected, outcome);
    }

    [Fact]
    public async Task A_token_server_that_cannot_be_reached_is_unavailable_not_a_refusal()
    {
        var outcome = await TokenClient(new TokenServer(error: new HttpRequestException("connection refused"))).RedeemSignInCodeAsync(Guid.NewGuid(), "123456", Cancel);

        Assert.IsType<TokenOutcome.Unavailable>(outcome);
    }

    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable, "")]
    [InlineData(HttpStatusCode.InternalServerError, "")]
    [InlineData(HttpStatusCode.TooManyRequests, "")]
    public async Task A_refresh_the_token_server_could_not_answer_keeps_the_session_and_sends_the_resident_to_try_again(HttpStatusCode status, string body)
    {
        await using var services = Services();
        var context = await SignedInRequestWithExpiredTokenAsync(services, "/my/reactions", "?page=2");
        var reachedPage = false;

        await new TokenRefresh(_ => { reachedPage = true; return Task.CompletedTask; }).InvokeAsync(context, TokenClient(new TokenServer(status, body)));

        Assert.False(reachedPage, "the page would only meet a 401 with the expired token");
        Assert.Equal(StatusCodes.Status303SeeOther, context.Response.StatusCode);
        Assert.Equal("/try-again?returnUrl=%2Fmy%2Freactions%3Fpage%3D2", context.Response.Headers.Location.ToString());
        Assert.Empty(context.Response.Headers.SetCookie.ToArray());
        Assert.True(context.User.Identity?.IsAuthenticated);
    }

    [Fact]
    public async Task A_refresh_token_the_token_server_calls_invalid_signs_the_resident_out()
    {
        await using var services = Services();
        var context = await SignedInRequestWithExpiredTokenAsync(services, "/my/reactions", string.Empty);
        var reachedPage = false;

        await new TokenRefresh(_ => { reachedPage = true; return Task.CompletedTask; })
            .InvokeAsync(context, TokenClient(new TokenServer(HttpStatusCode.BadRequest, """{"error":"invalid_grant"}""")));

        Assert.True(reachedPage, "the page itself sends an anonymous resident to the sign-in");
        Assert.False(context.User.Identity?.IsAuthenticated);
        Assert.Contains(context.Response.Headers.SetCookie.ToArray(), cookie => cookie!.StartsWith(CookieName + "=;", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_try_again_page_itself_is_served_without_asking_the_token_server()
    {
        await using var services = Services();
        var context = await SignedInRequestWithExpiredTokenAsync(services, TokenRefresh.TryAgainPath, "?returnUrl=%2Fmy");
        var server = new TokenServer(HttpStatusCode.ServiceUnavailable, string.Empty);
        var reachedPage = false;

        await new TokenRefresh(_ => { reachedPage = true; return Task.CompletedTask; }).InvokeAsync(context, TokenClient(server));

        Assert.True(reachedPage);
        Assert.Equal(0, server.Calls);
    }

    private const string CookieName = "portal-test";

    private static ServiceProvider Services()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDataProtection();
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(options => options.Cookie.Name = CookieName);
        return services.BuildServiceProvider();
    }

    /// <summary>A request carrying the cookie the portal writes at sign-in, with an access token that ran out.</summary>
    private static async Task<DefaultHttpContext> SignedInRequestWithExpiredTokenAsync(IServiceProvider services, string path, string query)
    {
        // A scope per request, as ASP.NET Core gives: the authentication handlers are cached per scope.
        var signIn = new DefaultHttpContext { RequestServices = services.CreateScope().ServiceProvider };
        await ResidentTokenClient.SignInAsync(signIn, new TokenOutcome.Issued("expired", "refresh", DateTimeOffset.UtcNow.AddMinutes(-5)), "nl");
        var cookie = signIn.Response.Headers.SetCookie.Single()!.Split(';')[0];

        var context = new DefaultHttpContext { RequestServices = services.CreateScope().ServiceProvider };
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query);
        context.Request.Headers.Cookie = cookie;
        var result = await context.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        Assert.True(result.Succeeded);
        context.User = result.Principal!;
        return context;
    }

    private static ResidentTokenClient TokenClient(TokenServer server) =>
        new(new HttpClient(server) { BaseAddress = new Uri("http://gateway.test") });

    private sealed class TokenServer(HttpStatusCode status = HttpStatusCode.OK, string body = "", Exception? error = null) : HttpMessageHandler
    {
        public int Calls { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Calls++;
            return error is not null
                ? Task.FromException<HttpResponseMessage>(error)
                : Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
        }
    }
}
