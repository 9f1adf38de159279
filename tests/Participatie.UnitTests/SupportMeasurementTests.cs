using Participatie.BuildingBlocks.Http;
using Participatie.Consultations.SupportMeasurements;
using Participatie.Consultations.Domain;
using Participatie.Contracts;

namespace Participatie.UnitTests;

/// <summary>The draagvlakmeting: at least 70% of ALL homes of a complex of at least 10 must agree (art. 7:220 BW).</summary>
public class SupportMeasurementTests
{
    [Theory]
    [InlineData(10, 7)]
    [InlineData(20, 14)]
    [InlineData(100, 70)]
    [InlineData(1000, 700)]
    public void Exactly_70_percent_of_the_homes_agreeing_meets_the_threshold(int homes, int agreeing)
    {
        var tally = SupportMeasurementRules.Tally(homes, agreeing, 0);

        Assert.True(tally.ThresholdMet);
        Assert.Equal(0.7m, tally.AgreeingShare);
    }

    [Theory]
    [InlineData(10, 6)]
    [InlineData(20, 13)]
    [InlineData(100, 69)]
    [InlineData(1000, 699)]
    [InlineData(13, 9)] // 69.23%
    public void Just_below_70_percent_misses_it(int homes, int agreeing) =>
        Assert.False(SupportMeasurementRules.Tally(homes, agreeing, homes - agreeing).ThresholdMet);

    [Theory]
    [InlineData(10, 8)]
    [InlineData(10, 10)]
    [InlineData(13, 10)] // 76.92%: 70% of 13 is 9.1, so 10 homes are needed
    [InlineData(101, 71)] // 70.30%
    public void Above_70_percent_meets_it(int homes, int agreeing) =>
        Assert.True(SupportMeasurementRules.Tally(homes, agreeing, 0).ThresholdMet);

    [Fact]
    public void Agreement_counts_out_of_all_homes_not_out_of_the_votes_cast()
    {
        // Every vote cast agrees, but 4 of the 10 homes did not vote: 60% of the homes, not 100%.
        var tally = SupportMeasurementRules.Tally(10, 6, 0);

        Assert.False(tally.ThresholdMet);
        Assert.Equal(0.6m, tally.AgreeingShare);
        Assert.Equal(0.6m, tally.ResponseRate);
        Assert.Equal(4, tally.NotVoted);
    }

    [Fact]
    public void The_response_rate_is_votes_out_of_homes()
    {
        var tally = SupportMeasurementRules.Tally(30, 15, 9);

        Assert.Equal(24, tally.Votes);
        Assert.Equal(6, tally.NotVoted);
        Assert.Equal(0.8m, tally.ResponseRate);
        Assert.Equal(0.5m, tally.AgreeingShare);
        Assert.False(tally.ThresholdMet);
        Assert.Equal(0m, SupportMeasurementRules.Tally(10, 0, 0).ResponseRate);
        Assert.Equal(1m, SupportMeasurementRules.Tally(10, 3, 7).ResponseRate);
    }

    [Fact]
    public void Shares_are_cut_off_not_rounded_up_to_the_threshold()
    {
        // 6999 of 10000 is 69.99%; 2 of 3 is 0.6666...: shown as 0.6666, never as a rounded-up 0.6667.
        Assert.Equal(0.6999m, SupportMeasurementRules.Tally(10_000, 6999, 0).AgreeingShare);
        Assert.Equal(0.6666m, SupportMeasurementRules.Tally(12, 8, 0).AgreeingShare);
        // 20999 of 30000 is 69.996...%: it would round to 0.7000 but misses the threshold.
        var nearly = SupportMeasurementRules.Tally(30_000, 20_999, 0);
        Assert.Equal(0.6999m, nearly.AgreeingShare);
        Assert.False(nearly.ThresholdMet);
    }

    [Fact]
    public void A_complex_has_at_least_10_homes()
    {
        Assert.NotNull(SupportMeasurementRules.CheckComplex(Homes(9)));
        Assert.NotNull(SupportMeasurementRules.CheckComplex([]));
        Assert.Null(SupportMeasurementRules.CheckComplex(Homes(10)));
        Assert.Null(SupportMeasurementRules.CheckComplex(Homes(SupportMeasurementRules.MaximumHomes)));
        Assert.NotNull(SupportMeasurementRules.CheckComplex(Homes(SupportMeasurementRules.MaximumHomes + 1)));
        // The count is of the tenants' homes: with homes left out it may be below 10, but never negative.
        Assert.Throws<ArgumentOutOfRangeException>(() => SupportMeasurementRules.Tally(-1, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => SupportMeasurementRules.Tally(9, 7, 3));
    }

    [Fact]
    public void A_home_cannot_vote_twice_in_the_count()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SupportMeasurementRules.Tally(10, 8, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => SupportMeasurementRules.Tally(10, -1, 0));
    }

    [Fact]
    public void A_home_listed_twice_is_refused_however_it_was_typed()
    {
        string[] keys =
        [
            .. Homes(10),
            AddressKeys.Key("1021 ab", 3, null)!,
        ];

        var problem = SupportMeasurementRules.CheckComplex(keys);

        Assert.NotNull(problem);
        Assert.Contains("1021AB 3", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1021 AB", 9, null, "1021AB 9")]
    [InlineData("1021ab", 9, "", "1021AB 9")]
    [InlineData("1021 ab", 9, " a", "1021AB 9-A")]
    [InlineData("1021AB", 9, "-2hg", "1021AB 9-2HG")]
    [InlineData("0123 AB", 9, null, null)]
    [InlineData("1021 SS", 9, null, null)]
    [InlineData("1021 AB", 0, null, null)]
    [InlineData("1021 AB", 9, "a/b", null)]
    public void A_home_is_keyed_by_its_address_written_alike(string postcode, int houseNumber, string? suffix, string? key) =>
        Assert.Equal(key, AddressKeys.Key(postcode, houseNumber, suffix));

    [Fact]
    public void Voting_codes_are_random_typable_and_only_their_hash_is_kept()
    {
        var codes = SupportMeasurementCodes.NewDistinct(500);
        var measurement = Guid.NewGuid();

        Assert.Equal(500, codes.Distinct(StringComparer.Ordinal).Count());
        Assert.All(codes, code =>
        {
            Assert.Matches("^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$", code);
            Assert.DoesNotContain('O', code);
            Assert.DoesNotContain('I', code);
        });
        var code = codes[0];
        var hash = SupportMeasurementCodes.Hash(measurement, code);
        Assert.Equal(32, hash.Length);
        // Typed in lower case, without dashes or with spaces, it is the same code.
        Assert.Equal(hash, SupportMeasurementCodes.Hash(measurement, code.Replace("-", string.Empty, StringComparison.Ordinal).ToLowerInvariant()));
        Assert.Equal(hash, SupportMeasurementCodes.Hash(measurement, code.Replace('-', ' ')));
        // In another measurement the same code is worth nothing.
        Assert.NotEqual(hash, SupportMeasurementCodes.Hash(Guid.NewGuid(), code));
    }

    [Fact]
    public void A_measurement_needs_a_title_a_proposal_a_deadline_and_valid_homes()
    {
        var errors = new ValidationErrors();
        new CreateSupportMeasurementRequest(
            Guid.Empty, " ", null, null, [new SupportMeasurementHome("0000 AA", 0, "?"), null]).Validate(errors);

        Assert.Equal(
            ["trajectoryId", "title", "proposal", "deadline", "homes[0].postcode", "homes[0].houseNumber", "homes[0].houseNumberSuffix", "homes[1]"],
            errors.ToDictionary().Keys);
    }

    [Fact]
    public void A_paper_form_names_its_home_its_reference_and_agree_or_disagree_and_never_carries_a_code()
    {
        var errors = new ValidationErrors();
        new EnterPaperVoteRequest(null, "maybe", "K7QM-3XRD-9HTW", null).Validate(errors);

        Assert.Equal(["code", "homeKey", "choice", "formReference"], errors.ToDictionary().Keys);

        var valid = new ValidationErrors();
        new EnterPaperVoteRequest("1021AB 9", SupportVoteChoices.Agree, null, "FORM-2027-0042").Validate(valid);
        Assert.True(valid.IsEmpty);
    }

    [Fact]
    public void The_8_weeks_to_go_to_court_end_on_a_working_day()
    {
        var noneDeclared = new HashSet<DateOnly>();

        // Notice on Wednesday 1 October 2025: 8 weeks on is Wednesday 26 November, a working day.
        Assert.Equal(new DateOnly(2025, 11, 26), SupportMeasurementRules.CourtPeriodEnd(new DateOnly(2025, 10, 1), noneDeclared));
        // Notice on Friday 31 October 2025: 8 weeks on is Friday 26 December (Tweede Kerstdag), so Monday 29 December.
        Assert.Equal(new DateOnly(2025, 12, 29), SupportMeasurementRules.CourtPeriodEnd(new DateOnly(2025, 10, 31), noneDeclared));
        // A day the government declared equal to a holiday moves it too.
        Assert.Equal(new DateOnly(2025, 11, 27), SupportMeasurementRules.CourtPeriodEnd(new DateOnly(2025, 10, 1), new HashSet<DateOnly> { new(2025, 11, 26) }));
    }

    [Fact]
    public void Excluded_homes_leave_the_count_and_with_none_left_the_threshold_is_not_met()
    {
        // 10 homes, 2 left out, 6 agree: 75% of the 8 tenants' homes.
        Assert.True(SupportMeasurementRules.Tally(8, 6, 1).ThresholdMet);
        Assert.False(SupportMeasurementRules.Tally(10, 6, 1).ThresholdMet);
        var none = SupportMeasurementRules.Tally(0, 0, 0);
        Assert.False(none.ThresholdMet);
        Assert.Equal(0m, none.AgreeingShare);
    }

    [Fact]
    public void A_receipt_hash_needs_the_voters_salt_and_names_home_and_choice()
    {
        var measurementId = Guid.CreateVersion7();
        var (salt, hash) = SupportVoteReceipts.New(measurementId, "1021AB 9", SupportVoteChoices.Agree);
        var saltBytes = Convert.FromBase64String(salt.Replace('-', '+').Replace('_', '/') + "==");

        Assert.Equal(SupportVoteReceipts.SaltBytes, saltBytes.Length);
        Assert.Equal(hash, SupportVoteReceipts.Hash(measurementId, "1021AB 9", SupportVoteChoices.Agree, saltBytes));
        Assert.NotEqual(hash, SupportVoteReceipts.Hash(measurementId, "1021AB 9", SupportVoteChoices.Disagree, saltBytes));
        Assert.NotEqual(hash, SupportVoteReceipts.Hash(measurementId, "1021AB 10", SupportVoteChoices.Agree, saltBytes));
        Assert.NotEqual(hash, SupportVoteReceipts.New(measurementId, "1021AB 9", SupportVoteChoices.Agree).Hash);
        Assert.Equal(hash, SupportVoteReceipts.Parse(SupportVoteReceipts.Show(hash)));
        Assert.Null(SupportVoteReceipts.Parse("not-a-hash"));
    }

    private static string[] Homes(int count) =>
        [.. Enumerable.Range(1, count).Select(number => AddressKeys.Key("1021 AB", number, null)!)];
}
