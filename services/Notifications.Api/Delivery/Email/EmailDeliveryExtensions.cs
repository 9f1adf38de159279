using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Participatie.Notifications.Delivery.Email;

public static class EmailDeliveryExtensions
{
    /// <summary>
    /// The e-mail channel: <see cref="SmtpEmailSender"/> as the <see cref="IChannelSender"/> for e-mail over a small
    /// pool of SMTP sessions, and <see cref="EmailBounceJob"/>, which reads the bounce mailbox (settings under
    /// <c>Delivery:Email</c>, see <see cref="EmailOptions"/>).
    /// </summary>
    public static IHostApplicationBuilder AddEmailDelivery(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.Section)
            .Validate(email => !string.IsNullOrWhiteSpace(email.SmtpHost) && email.SmtpPort is > 0 and < 65536, "Delivery:Email: SmtpHost and a valid SmtpPort are required.")
            .Validate(email => email.MaxConnections > 0 && email.Timeout > TimeSpan.Zero, "Delivery:Email: MaxConnections and Timeout must be positive.")
            .Validate(email => MimeKit.MailboxAddress.TryParse(email.From, out var from) && !string.IsNullOrEmpty(from.Domain), "Delivery:Email:From must be an e-mail address.")
            .Validate(email => email.Bounces.PollInterval > TimeSpan.Zero && email.Bounces.BatchSize > 0, "Delivery:Email:Bounces: PollInterval and BatchSize must be positive.")
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<SmtpConnectionPool>();
        builder.Services.AddSingleton<IChannelSender, SmtpEmailSender>();
        builder.Services.AddSingleton<EmailBounceJob>();
        builder.Services.AddHostedService(services => services.GetRequiredService<EmailBounceJob>());
        return builder;
    }
}
