using System.Globalization;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Participatie.BuildingBlocks.Http;
using Participatie.BuildingBlocks.Pdf;
using Participatie.BuildingBlocks.Time;
using Participatie.PartnerCoordination.Domain;
using Participatie.PartnerCoordination.Trajectories;

namespace Participatie.PartnerCoordination.Advice;

/// <summary>
/// A request for advice under the Overlegwet as one PDF, for a partner's own files: the request, the advice, the
/// landlord's decision and reasoned answer, each with its date, and the statutory terms that applied (the same dates the
/// API computes, under the Algemene termijnenwet). In Dutch, as the law and the tenants' organisation speak.
/// </summary>
public static class AdviceDossier
{
    private static readonly CultureInfo Dutch = CultureInfo.GetCultureInfo("nl-NL");

    internal static void MapAdviceDossier(this RouteGroupBuilder adviceRequests) =>
        adviceRequests.MapGet("/{adviceRequestId:guid}/dossier", GetAdviceDossier)
            .WithName("GetAdviceDossier")
            .WithSummary("The Overlegwet dossier of a request for advice as PDF: request, advice, decision, reasoned answer, their dates and the statutory terms")
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf");

    internal static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetAdviceDossier(
        TrajectoryCaller caller, Guid adviceRequestId, [AsParameters] ApiServices services)
    {
        var (work, trajectoryId, cancellationToken) = (caller.Work, caller.TrajectoryId, services.Cancellation);
        var today = AmsterdamClock.Today(services.Clock);
        var request = await AdviceRequestStore.FindAsync(work, trajectoryId, adviceRequestId, today, forUpdate: false, cancellationToken);
        if (request is null)
        {
            return Problems.NotFound("advice request", adviceRequestId);
        }

        var names = (await work.Connection.QueryAsync<(Guid Id, string Name)>(new CommandDefinition(
            "SELECT id, name FROM partners WHERE id = ANY(@Ids)",
            new { Ids = new[] { request.LandlordPartnerId, request.TenantsOrganisationPartnerId } }, work.Transaction, cancellationToken: cancellationToken)))
            .ToDictionary(partner => partner.Id, partner => partner.Name);
        var trajectoryName = await work.Connection.QuerySingleAsync<string>(new CommandDefinition(
            "SELECT name FROM trajectories WHERE id = @Id", new { Id = trajectoryId }, work.Transaction, cancellationToken: cancellationToken));

        var pdf = Render(request, trajectoryName, names.GetValueOrDefault(request.LandlordPartnerId, "?"),
            names.GetValueOrDefault(request.TenantsOrganisationPartnerId, "?"), today);
        return TypedResults.File(pdf, "application/pdf", $"overlegwet-dossier-{request.Id}.pdf");
    }

    public static byte[] Render(AdviceRequest request, string trajectoryName, string landlord, string tenantsOrganisation, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(request);
        PdfFonts.Install(typeof(AdviceDossier).Assembly);
        return PdfTextWriter.Render($"Overlegwet-dossier: {request.Subject}", writer =>
        {
            writer.Line("Dossier adviesaanvraag Overlegwet", writer.Heading);
            writer.Space(2);
            writer.Paragraph($"Onderwerp: {request.Subject}", font: writer.Bold);
            writer.Paragraph($"Traject: {trajectoryName}");
            writer.Paragraph($"Verhuurder: {landlord}");
            writer.Paragraph($"Huurdersorganisatie: {tenantsOrganisation}");
            writer.Paragraph($"Kenmerk: {request.Id}");
            writer.Paragraph($"Stand op {Date(today)}: {State(request)}{(request.Overdue ? " (termijn verstreken)" : string.Empty)}");

            Section(writer, "1. Adviesaanvraag");
            writer.Paragraph($"Verstuurd op: {Date(request.SentOn)}");
            writer.Paragraph($"Advies uiterlijk op: {Date(request.AdviceDueOn)}");
            writer.Paragraph("Voorstel:");
            writer.Paragraph(request.Proposal, 1);

            Section(writer, "2. Advies");
            if (request.AdviceReceivedOn is { } received)
            {
                writer.Paragraph($"Ontvangen op: {Date(received)}");
                writer.Paragraph(request.Advice ?? string.Empty, 1);
            }
            else
            {
                writer.Paragraph(request.State == AdviceStates.AdviceLapsed
                    ? "De adviestermijn is verstreken zonder advies."
                    : "Nog geen advies ontvangen.");
            }

            Section(writer, "3. Besluit van de verhuurder");
            writer.Paragraph(request.FollowsAdvice switch
            {
                true => $"Volgt het advies (besloten op {Date(request.DecidedOn)}).",
                false => $"Wijkt af van het advies (besloten op {Date(request.DecidedOn)}).",
                null => "Nog geen besluit.",
            });

            Section(writer, "4. Gemotiveerd antwoord");
            if (request.AnswerDueOn is { } answerDue)
            {
                writer.Paragraph($"Uiterlijk op: {Date(answerDue)} (14 dagen na ontvangst van het advies, art. 5 lid 2 Overlegwet)");
            }

            if (request.AnsweredOn is { } answered)
            {
                writer.Paragraph($"Gegeven op: {Date(answered)}");
                writer.Paragraph(request.ReasonedAnswer ?? string.Empty, 1);
            }
            else
            {
                writer.Paragraph(request.FollowsAdvice == false ? "Nog niet gegeven." : "Niet nodig zolang de verhuurder niet afwijkt van het advies.");
            }

            Section(writer, "5. Wettelijke termijnen");
            writer.Paragraph(
                "Termijnen die op een zaterdag, zondag of feestdag eindigen, lopen door tot de eerstvolgende werkdag (Algemene termijnenwet).");
            writer.Paragraph($"Adviestermijn tot en met: {Date(request.AdviceDueOn)}");
            writer.Paragraph($"Gemotiveerd antwoord tot en met: {Date(request.AnswerDueOn)}");
            writer.Paragraph($"De verhuurder mag uitvoeren vanaf: {Date(request.MayProceedOn)}");
            if (request.OpenDeadline is { } open)
            {
                writer.Paragraph($"Open termijn: {(open.Kind == AdviceDeadlineKinds.Advice ? "advies" : "gemotiveerd antwoord")} uiterlijk op {Date(open.DueOn)}");
            }

            if (request.Reminders.Count > 0)
            {
                Section(writer, "6. Herinneringen");
                foreach (var reminder in request.Reminders)
                {
                    writer.Paragraph($"{reminder.SentAt.ToString("d MMMM yyyy", Dutch)}: herinnering voor de termijn van {Date(reminder.DueOn)}");
                }
            }
        });
    }

    private static void Section(PdfTextWriter writer, string title)
    {
        writer.Space(5);
        writer.Line(title, writer.SubHeading);
    }

    private static string State(AdviceRequest request) => request.State switch
    {
        AdviceStates.AwaitingAdvice => "wacht op advies",
        AdviceStates.AdviceLapsed => "adviestermijn verstreken zonder advies",
        AdviceStates.AwaitingDecision => "wacht op besluit",
        AdviceStates.AwaitingReasonedAnswer => "wacht op gemotiveerd antwoord",
        AdviceStates.Closed => "afgerond",
        _ => request.State,
    };

    /// <summary>A date as "17 maart 2027 (2027-03-17)": readable, and findable by a system that searches the text.</summary>
    private static string Date(DateOnly? day) =>
        day is { } value ? $"{value.ToString("d MMMM yyyy", Dutch)} ({value:yyyy-MM-dd})" : "nog niet bekend";
}
