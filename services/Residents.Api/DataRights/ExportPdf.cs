using System.Globalization;
using System.Text.Json;
using Participatie.BuildingBlocks.Pdf;
using Participatie.Contracts;

namespace Participatie.Residents.DataRights;

/// <summary>
/// The readable copy of an export (AVG art. 15): in Dutch, plain words (B1), A4. Each service's part gets a heading
/// that says what it is; each record is printed as lines of "what: value". The JSON file is the complete copy; this
/// one is for reading.
/// </summary>
public static class ExportPdf
{
    private static readonly CultureInfo Dutch = CultureInfo.GetCultureInfo("nl-NL");

    /// <summary>What each service's part is about, in the resident's words.</summary>
    private static readonly Dictionary<string, string> ServiceHeadings = new(StringComparer.Ordinal)
    {
        [DataHoldingServices.Residents] = "Uw persoonsgegevens en wie ze gebruikte",
        [DataHoldingServices.Consultations] = "Uw reacties, aanmeldingen en antwoorden",
        [DataHoldingServices.PartnerCoordination] = "Wat de partners over u vastlegden",
        [DataHoldingServices.Notifications] = "De berichten die wij u stuurden",
    };

    /// <summary>Dutch names of the lists and fields the services send; anything else is printed by its own name.</summary>
    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        ["personalData"] = "Uw gegevens",
        ["accessLog"] = "Wie uw gegevens gebruikte",
        ["reactions"] = "Uw reacties",
        ["statusHistory"] = "Wat er met uw reactie gebeurde",
        ["meetingRegistrations"] = "Uw aanmeldingen voor bijeenkomsten",
        ["questionnaireAnswers"] = "Uw antwoorden op vragenlijsten",
        ["pollAnswers"] = "Uw antwoorden op peilingen",
        ["supportVotes"] = "Uw stemmen",
        ["profile"] = "Wat de dienst over u weet (zonder naam of adres)",
        ["invitations"] = "Raadplegingen waarvoor u werd uitgenodigd",
        ["notifications"] = "Berichten",
        ["deliveryEvents"] = "Hoe het bericht bij u kwam",
        ["fullName"] = "Naam",
        ["street"] = "Straat",
        ["houseNumber"] = "Huisnummer",
        ["houseNumberSuffix"] = "Toevoeging",
        ["postcode"] = "Postcode",
        ["city"] = "Plaats",
        ["buurtCode"] = "Buurt",
        ["email"] = "E-mailadres",
        ["phoneNumber"] = "Telefoonnummer",
        ["preferredLanguage"] = "Taal",
        ["preferredChannel"] = "Hoe u berichten krijgt",
        ["digestFrequency"] = "Hoe vaak u berichten krijgt",
        ["birthYear"] = "Geboortejaar",
        ["tenure"] = "Huur of koop",
        ["registeredAt"] = "Ingeschreven op",
        ["action"] = "Wat",
        ["accessedBy"] = "Door wie",
        ["purpose"] = "Waarom",
        ["accessedAt"] = "Wanneer",
        ["text"] = "Tekst",
        ["status"] = "Stand",
        ["explanation"] = "Uitleg",
        ["submittedAt"] = "Gegeven op",
        ["answeredAt"] = "Beantwoord op",
        ["changedAt"] = "Veranderd op",
        ["consultationTitle"] = "Raadpleging",
        ["title"] = "Titel",
        ["body"] = "Bericht",
        ["channel"] = "Kanaal",
        ["language"] = "Taal",
        ["createdAt"] = "Gemaakt op",
        ["sentAt"] = "Verstuurd op",
        ["place"] = "Plaats",
        ["startsAt"] = "Begint",
        ["answers"] = "Antwoorden",
        ["event"] = "Stap",
        ["occurredAt"] = "Wanneer",
    };

    public static byte[] Render(ExportRecord export, IReadOnlyList<ExportPart> parts)
    {
        ArgumentNullException.ThrowIfNull(export);
        ArgumentNullException.ThrowIfNull(parts);
        PdfFonts.Install(typeof(ExportPdf).Assembly);
        return PdfTextWriter.Render("Uw gegevens bij Participatie", writer =>
        {
            writer.Line("Uw gegevens bij Participatie", writer.Heading);
            writer.Space(2);
            writer.Paragraph(Introduction(export.RequestedAt));
            writer.Paragraph($"Kenmerk van dit overzicht: {export.Id}");
            foreach (var service in DataHoldingServices.All)
            {
                writer.Space(6);
                writer.Line(ServiceHeadings[service], writer.SubHeading);
                if (parts.FirstOrDefault(part => part.Service == service) is not { } part)
                {
                    writer.Paragraph("Van dit deel kwam geen antwoord.");
                    continue;
                }

                using var data = JsonDocument.Parse(part.Data);
                WriteObject(writer, data.RootElement, 0);
            }
        });
    }

    /// <summary>The opening words: what this is and what the resident can do with it.</summary>
    public static string Introduction(DateTimeOffset requestedAt) =>
        $"U vroeg op {Date(requestedAt)} welke gegevens wij over u bewaren. Hier staan ze allemaal. " +
        "Elk deel van het platform heeft zijn eigen stuk. Klopt er iets niet? Vraag dan de organisatie die u " +
        "inschreef om het te verbeteren. U kunt ons ook vragen alles te wissen.";

    private static void WriteObject(PdfTextWriter writer, JsonElement element, int depth)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Array)
            {
                writer.Space(2);
                writer.Line(Label(property.Name), depth == 0 ? writer.Bold : writer.Regular, depth);
                var items = property.Value.EnumerateArray().ToList();
                if (items.Count == 0)
                {
                    writer.Line("Niets.", writer.Regular, depth + 1);
                }

                foreach (var item in items)
                {
                    if (item.ValueKind == JsonValueKind.Object)
                    {
                        WriteObject(writer, item, depth + 1);
                        writer.Space(1.5);
                    }
                    else
                    {
                        writer.Paragraph(Value(item), depth + 1);
                    }
                }
            }
            else if (property.Value.ValueKind == JsonValueKind.Object)
            {
                writer.Paragraph($"{Label(property.Name)}: {property.Value.GetRawText()}", depth);
            }
            else if (property.Value.ValueKind != JsonValueKind.Null)
            {
                writer.Paragraph($"{Label(property.Name)}: {Value(property.Value)}", depth);
            }
        }
    }

    private static string Label(string name) => Labels.GetValueOrDefault(name, name);

    private static string Value(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String when value.TryGetDateTimeOffset(out var moment) && value.GetString()!.Contains('T', StringComparison.Ordinal) =>
            moment.ToOffset(TimeSpan.Zero).ToString("d MMMM yyyy HH:mm 'UTC'", Dutch),
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.True => "ja",
        JsonValueKind.False => "nee",
        _ => value.GetRawText(),
    };

    private static string Date(DateTimeOffset moment) => moment.ToString("d MMMM yyyy", Dutch);

}
