using Dapper;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Messaging;
using Participatie.Contracts;
using Participatie.Notifications.Domain;
using Participatie.Notifications.Recipients;

namespace Participatie.Notifications.SignIn;

/// <summary>
/// Sends a resident the sign-in code the token server made, on the channel the resident asked on (e-mail, SMS or,
/// for a letter code, by letter), in their language. No consent is needed: the resident asked for it.
/// </summary>
public sealed class SignInCodeRequestedConsumer(UnitOfWorkFactory unitOfWork) : IdempotentConsumer<SignInCodeRequested>(unitOfWork)
{
    protected override async Task HandleAsync(SignInCodeRequested message, UnitOfWork work, CancellationToken cancellationToken)
    {
        if (await NotificationStore.GetRecipientAsync(work, message.ResidentId, cancellationToken) is not { } recipient)
        {
            return;
        }

        var text = SignInTexts.SignInCode(recipient.PreferredLanguage, message.Channel, message.Code, message.RequestedAt, message.ExpiresAt);
        await OneTimeCodeNotifications.RecordAsync(
            work, recipient.ResidentId, NotificationKinds.SignInCode, message.ChallengeId, message.Channel, message.Code, confirmationId: null, text, cancellationToken);
    }
}

/// <summary>
/// Sends the code that confirms a new e-mail address or phone number to that new address: the confirmation id goes
/// with the notification, so that delivery asks the residents service for the pending address, not the current one.
/// </summary>
public sealed class ContactConfirmationRequestedConsumer(UnitOfWorkFactory unitOfWork) : IdempotentConsumer<ContactConfirmationRequested>(unitOfWork)
{
    protected override async Task HandleAsync(ContactConfirmationRequested message, UnitOfWork work, CancellationToken cancellationToken)
    {
        if (await NotificationStore.GetRecipientAsync(work, message.ResidentId, cancellationToken) is not { } recipient)
        {
            return;
        }

        var text = SignInTexts.ContactConfirmation(recipient.PreferredLanguage, message.Code, message.RequestedAt, message.ExpiresAt);
        await OneTimeCodeNotifications.RecordAsync(
            work, recipient.ResidentId, NotificationKinds.ContactConfirmation, message.ConfirmationId, message.Channel, message.Code,
            message.ConfirmationId, text, cancellationToken);
    }
}

/// <summary>
/// Records a notification that carries a one-time code. The code is kept beside the body only until the notification
/// is sent or has failed for good; then the database blanks it out of the body (migration 0008).
/// </summary>
internal static class OneTimeCodeNotifications
{
    public static async Task RecordAsync(
        UnitOfWork work, Guid residentId, string kind, Guid subjectId, string channel, string code, Guid? confirmationId, NotificationText text,
        CancellationToken cancellationToken)
    {
        if (channel is not (Channels.Email or Channels.Sms or Channels.Letter))
        {
            throw new InvalidOperationException($"A {kind} cannot go by '{channel}'.");
        }

        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO notifications (id, resident_id, kind, subject_id, language, channel, title, body, one_time_code, confirmation_id)
            VALUES (@Id, @ResidentId, @Kind, @SubjectId, @Language, @Channel, @Title, @Body, @Code, @ConfirmationId)
            """,
            new
            {
                Id = Guid.CreateVersion7(),
                ResidentId = residentId,
                Kind = kind,
                SubjectId = subjectId,
                text.Language,
                Channel = channel,
                text.Title,
                text.Body,
                Code = code,
                ConfirmationId = confirmationId,
            },
            work.Transaction, cancellationToken: cancellationToken));
    }
}
