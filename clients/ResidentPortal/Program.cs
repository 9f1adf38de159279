using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.HttpOverrides;
using Participatie.BuildingBlocks.DataProtection;
using Participatie.ResidentPortal;
using Participatie.ResidentPortal.Components;
using Participatie.ResidentPortal.Gateway;
using Participatie.ResidentPortal.Texts;

// Started with --migrate-only: the migration job of the key ring's database, which ends here.
if (await WebClientKeyRing.RunAsMigrationJobAsync(WebClientKeyRing.ResidentPortal, typeof(Program).Assembly, args))
{
    return;
}

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
// Its cookies' keys in its own database, shared by every replica on any node (before: a volume, one node only).
builder.AddWebClientKeyRing(WebClientKeyRing.ResidentPortal, typeof(Program).Assembly);

// Static server rendering only: every page is plain HTML and every action a form post, so the portal works without
// JavaScript on any phone; no interactive render mode, no blazor.web.js.
builder.Services.AddRazorComponents();
builder.Services.AddHttpContextAccessor();
builder.Services.AddScoped<PortalLanguage>();

// The resident's access and refresh token live in the authentication cookie, encrypted with data protection and
// HttpOnly: no page script ever sees them.
builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
    .AddCookie(options =>
    {
        options.Cookie.Name = "participatie-portal";
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Lax;
        options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        // The refresh token lives 14 days at most; the cookie no longer than the sign-in it carries.
        options.ExpireTimeSpan = TimeSpan.FromDays(14);
        options.SlidingExpiration = false;
        options.LoginPath = "/sign-in";
        options.LogoutPath = "/sign-out";
        options.AccessDeniedPath = "/sign-in";
    });
builder.Services.AddAuthorization();
builder.Services.AddAntiforgery(options =>
{
    options.Cookie.Name = "participatie-portal-af";
    options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
});

var gatewayUrl = builder.Configuration["Gateway:Url"]
    ?? throw new InvalidOperationException("Gateway:Url is not set: the portal calls the platform through its gateway.");
builder.Services.DisableRetryOfUnsafeMethods();
builder.Services.AddHttpClient<PortalApi>(client => client.BaseAddress = new Uri(gatewayUrl));
builder.Services.AddHttpClient<ResidentTokenClient>(client => client.BaseAddress = new Uri(gatewayUrl));

// Behind the gateway: the scheme (for Secure cookies) and host come from its forwarded headers.
builder.Services.Configure<ForwardedHeadersOptions>(options =>
{
    options.ForwardedHeaders = ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
    options.KnownIPNetworks.Clear();
    options.KnownProxies.Clear();
});

var app = builder.Build();
await app.MigrateKeyRingDatabaseAsync();
app.UseForwardedHeaders();
// The portal's pages run no script and load only its own stylesheet: the policy says so, and no one may frame them.
app.Use((context, next) =>
{
    var headers = context.Response.Headers;
    headers.ContentSecurityPolicy = "default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'self'";
    headers.XContentTypeOptions = "nosniff";
    headers.XFrameOptions = "DENY";
    headers["Referrer-Policy"] = "same-origin";
    return next(context);
});
app.UseExceptionHandler("/error", createScopeForErrors: true);
app.UseStatusCodePagesWithReExecute("/not-found");
app.UseStaticFiles();
app.UseAuthentication();
app.UseMiddleware<TokenRefresh>();
app.UseMiddleware<LanguageSelection>();
app.UseAuthorization();
app.UseAntiforgery();

app.MapDefaultEndpoints();
app.MapPost("/sign-out", SignOutEndpoint.SignOutAsync).DisableAntiforgery();
app.MapGet("/my/data/exports/{exportId:guid}/{file}", DataExportDownload.DownloadAsync).RequireAuthorization();
app.MapRazorComponents<App>();

await app.RunAsync();
