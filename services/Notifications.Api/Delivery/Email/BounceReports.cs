using System.Text;
using System.Text.RegularExpressions;
using MimeKit;
using Participatie.Contracts;

namespace Participatie.Notifications.Delivery.Email;

/// <summary>A delivery status report that says a notification's mail could not be delivered.</summary>
public sealed record Bounce(Guid NotificationId, string Detail);

/// <summary>
/// Reads bounce reports (RFC 3464 delivery status notifications: multipart/report; report-type=delivery-status). The
/// notification is found from the address the report was sent to (the VERP envelope sender
/// <c>bounces+{id}@domain</c>), or else from the returned original's Message-ID (<c>&lt;{id}@domain&gt;</c>). Only
/// a recipient whose Action is <c>failed</c> makes a bounce; "delayed", "delivered", "relayed" and "expanded" do not.
/// </summary>
public static partial class BounceReports
{
    private const int MaxDetailLength = 500;

    private static readonly string[] RecipientHeaders = ["Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To", "To"];

    /// <returns>The bounce, or null with the reason when the mail is no bounce of one of our notifications.</returns>
    public static Bounce? Read(MimeMessage report, EmailOptions options, out string reason)
    {
        var deliveryStatus = report.BodyParts.OfType<MessageDeliveryStatus>().FirstOrDefault();
        if (deliveryStatus is null || !IsDeliveryStatusReport(report))
        {
            reason = "not a delivery status report";
            return null;
        }

        var failedRecipients = deliveryStatus.StatusGroups
            .Skip(1) // the first group holds the per-message fields
            .Where(group => string.Equals(group["Action"]?.Trim(), "failed", StringComparison.OrdinalIgnoreCase))
            .ToList();
        if (failedRecipients.Count == 0)
        {
            reason = "no recipient failed (a delay or success report)";
            return null;
        }

        var notificationId = FromEnvelopeRecipient(report, options) ?? FromOriginal(report, options);
        if (notificationId is null)
        {
            reason = "names no notification (neither the bounce address nor the original Message-ID)";
            return null;
        }

        reason = string.Empty;
        return new Bounce(notificationId.Value, Detail(failedRecipients[0]));
    }

    private static bool IsDeliveryStatusReport(MimeMessage report) =>
        report.Body is MultipartReport multipart
            ? string.Equals(multipart.ReportType, "delivery-status", StringComparison.OrdinalIgnoreCase)
            // A report forwarded inside a multipart/mixed still counts.
            : report.Body is Multipart;

    private static Guid? FromEnvelopeRecipient(MimeMessage report, EmailOptions options)
    {
        var addresses = RecipientHeaders
            .SelectMany(header => report.Headers.Where(field => field.Field.Equals(header, StringComparison.OrdinalIgnoreCase)))
            .Select(field => field.Value);
        return addresses.Select(value => FromBounceAddress(value, options)).FirstOrDefault(id => id is not null);
    }

    /// <summary>The id in <c>bounces+{id:N}@domain</c>, anywhere in a header's value.</summary>
    internal static Guid? FromBounceAddress(string value, EmailOptions options)
    {
        var pattern = new Regex(
            $@"(?<![^\s<,:;""]){Regex.Escape(options.BounceLocalPart)}\+(?<id>[0-9a-fA-F]{{32}})@{Regex.Escape(options.MessageDomain)}\b",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant,
            TimeSpan.FromMilliseconds(PatternLimits.MatchTimeoutMilliseconds));
        var match = pattern.Match(value);
        return match.Success ? Guid.ParseExact(match.Groups["id"].Value, "N") : null;
    }

    /// <summary>The returned original (message/rfc822 or text/rfc822-headers): its Message-ID, or its Return-Path.</summary>
    private static Guid? FromOriginal(MimeMessage report, EmailOptions options)
    {
        foreach (var original in report.BodyParts.OfType<MessagePart>().Select(part => part.Message).OfType<MimeMessage>())
        {
            if (original.MessageId is { } messageId
                && messageId.EndsWith($"@{options.MessageDomain}", StringComparison.OrdinalIgnoreCase)
                && Guid.TryParse(messageId[..messageId.IndexOf('@', StringComparison.Ordinal)], out var id))
            {
                return id;
            }

            if (original.Headers[HeaderId.ReturnPath] is { } returnPath && FromBounceAddress(returnPath, options) is { } fromReturnPath)
            {
                return fromReturnPath;
            }
        }

        return null;
    }

    /// <summary>Status and diagnostic of the failed recipient, without its address (stored with the notification).</summary>
    private static string Detail(HeaderList recipient)
    {
        var detail = new StringBuilder("bounced");
        if (recipient["Status"] is { } status)
        {
            detail.Append(": status ").Append(status.Trim());
        }

        if (recipient["Diagnostic-Code"] is { } diagnostic)
        {
            detail.Append("; ").Append(Unfold(diagnostic));
        }

        var text = SmtpEmailSender.WithoutAddresses(detail.ToString());
        return text.Length <= MaxDetailLength ? text : text[..MaxDetailLength];
    }

    private static string Unfold(string value) => Whitespace().Replace(value, " ").Trim();

    [GeneratedRegex(@"\s+", RegexOptions.None, matchTimeoutMilliseconds: PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex Whitespace();
}
