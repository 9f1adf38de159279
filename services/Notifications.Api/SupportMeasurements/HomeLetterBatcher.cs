using System.Globalization;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using Participatie.BuildingBlocks.Time;
using Participatie.Contracts;
using Participatie.Notifications.Delivery;
using Participatie.Notifications.Delivery.Letters;

namespace Participatie.Notifications.SupportMeasurements;

/// <summary>
/// Prints the letters to homes (<c>home_letters</c>) in the same cuts as the residents' letters. Voting-code letters go
/// in batches of their own with no partner and <c>voting_codes</c> set, which only the platform operator can list or
/// fetch; the result notices go in a batch of the trajectory's lead like its other letters. The address is the home
/// key itself, so nothing remote is asked and the claim, the rendering and the batch are one transaction: rows are
/// taken <c>FOR UPDATE SKIP LOCKED</c>, so two cuts at once print different letters, and a cut that dies prints none.
/// The code leaves the table in that transaction; from then on only the batch's PDF holds it.
/// </summary>
public sealed class HomeLetterBatcher(NpgsqlDataSource database, TimeProvider clock, IOptions<LetterOptions> options)
{
    /// <summary>"Aan de bewoners van": the letter is for whoever lives at the home, as the law's notice is.</summary>
    public const string Addressee = "Aan de bewoners van";

    private const string ClaimSql = """
        SELECT h.id AS Id, h.kind AS Kind, h.home_key AS HomeKey, h.language AS Language, h.title AS Title, h.body AS Body,
               h.voting_code AS VotingCode, lead.partner_id AS LeadPartnerId, sender.name AS SenderName
        FROM home_letters h
        LEFT JOIN trajectory_member_projection lead ON lead.trajectory_id = h.trajectory_id AND lead.role = @Lead
        LEFT JOIN letter_senders sender ON sender.partner_id = lead.partner_id
        WHERE h.batch_id IS NULL
          -- A partner's own cut takes only the notices of its trajectories, never voting codes.
          AND (@PartnerId::uuid IS NULL OR (h.kind <> @VotingCodeKind AND lead.partner_id = @PartnerId))
        ORDER BY h.created_at, h.measurement_id, h.home_key
        LIMIT @Limit
        FOR UPDATE OF h SKIP LOCKED
        """;

    private sealed record ClaimedHomeLetter(
        Guid Id, string Kind, string HomeKey, string Language, string Title, string Body, string? VotingCode, Guid? LeadPartnerId, string? SenderName);

    /// <summary>Cuts batches of the letters to homes: every pending one, or the notices of one lead partner's trajectories.</summary>
    public async Task<List<LetterBatchResponse>> CutAsync(Guid? partnerId, string cutBy, CancellationToken cancellationToken)
    {
        var batches = new List<LetterBatchResponse>();
        while (true)
        {
            var (made, claimed) = await CutOnceAsync(partnerId, cutBy, cancellationToken);
            batches.AddRange(made);
            if (claimed < options.Value.MaxLettersPerCut)
            {
                return batches;
            }
        }
    }

    private async Task<(List<LetterBatchResponse> Batches, int Claimed)> CutOnceAsync(Guid? partnerId, string cutBy, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var claimed = (await connection.QueryAsync<ClaimedHomeLetter>(new CommandDefinition(
            ClaimSql,
            new { Lead = TrajectoryRoles.Lead, PartnerId = partnerId, VotingCodeKind = HomeLetters.VotingCodeKind, Limit = options.Value.MaxLettersPerCut },
            transaction,
            cancellationToken: cancellationToken))).AsList();
        if (claimed.Count == 0)
        {
            return ([], 0);
        }

        var now = clock.GetUtcNow();
        var printDate = AmsterdamClock.Today(clock);
        var batches = new List<LetterBatchResponse>();
        foreach (var group in claimed.GroupBy(letter => (VotingCodes: letter.Kind == HomeLetters.VotingCodeKind, letter.LeadPartnerId)))
        {
            var senderName = group.First().SenderName ?? LetterBatcher.FallbackSenderName;
            var letters = group.Select(letter => new LetterToPrint(
                    letter.Id,
                    ResidentId: null,
                    letter.Kind,
                    letter.Language,
                    letter.Title,
                    letter.VotingCode is null ? letter.Body : letter.Body.Replace(SupportMeasurementLetterTexts.CodePlaceholder, letter.VotingCode, StringComparison.Ordinal),
                    AddressOf(letter.HomeKey)))
                .ToList();
            var rendered = LetterRenderer.Render(senderName, printDate, letters);
            var batch = new LetterBatchResponse
            {
                Id = Guid.CreateVersion7(now),
                // No partner for a batch of voting codes: it is the operator's alone.
                PartnerId = group.Key.VotingCodes ? null : group.Key.LeadPartnerId,
                SenderName = senderName,
                PrintDate = printDate,
                CreatedAt = now,
                CutBy = cutBy,
                LetterCount = letters.Count,
                PageCount = rendered.PageCount,
                VotingCodes = group.Key.VotingCodes,
            };
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO letter_batches (id, partner_id, sender_name, print_date, created_at, cut_by, letter_count, page_count, pdf, manifest, voting_codes)
                VALUES (@Id, @PartnerId, @SenderName, @PrintDate, @CreatedAt, @CutBy, @LetterCount, @PageCount, @Pdf, @Manifest, @VotingCodes);
                UPDATE home_letters h SET batch_id = @Id, first_page = letter.first_page, voting_code = NULL
                FROM unnest(@LetterIds, @FirstPages) AS letter (id, first_page)
                WHERE h.id = letter.id;
                """,
                new
                {
                    batch.Id,
                    batch.PartnerId,
                    batch.SenderName,
                    batch.PrintDate,
                    batch.CreatedAt,
                    batch.CutBy,
                    batch.LetterCount,
                    batch.PageCount,
                    rendered.Pdf,
                    rendered.Manifest,
                    batch.VotingCodes,
                    LetterIds = rendered.FirstPages.Keys.ToArray(),
                    FirstPages = rendered.FirstPages.Values.ToArray(),
                },
                transaction,
                cancellationToken: cancellationToken));
            batches.Add(batch);
        }

        await transaction.CommitAsync(cancellationToken);
        return (batches, claimed.Count);
    }

    /// <summary>
    /// The home key ("1021AB 9-A") as an address. The platform knows a home by postcode and house number only, which
    /// is what PostNL sorts on; there is no street or city to print.
    /// </summary>
    public static PostalAddress AddressOf(string homeKey)
    {
        ArgumentNullException.ThrowIfNull(homeKey);
        var space = homeKey.IndexOf(' ', StringComparison.Ordinal);
        var postcode = homeKey[..space];
        var number = homeKey[(space + 1)..];
        var dash = number.IndexOf('-', StringComparison.Ordinal);
        return new PostalAddress
        {
            Name = Addressee,
            HouseNumber = int.Parse(dash < 0 ? number : number[..dash], CultureInfo.InvariantCulture),
            HouseNumberSuffix = dash < 0 ? null : number[(dash + 1)..],
            Postcode = postcode.Length == 6 ? $"{postcode[..4]} {postcode[4..]}" : postcode,
        };
    }
}
