using Participatie.PartnerCoordination.Domain;

namespace Participatie.UnitTests;

/// <summary>The rules of a resident's sign-in: codes, their hashes, and the lock after five wrong tries.</summary>
public class ResidentSignInRulesTests
{
    private static readonly DateTimeOffset Now = new(2027, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_code_is_six_digits_and_codes_differ()
    {
        var codes = Enumerable.Range(0, 50).Select(_ => ResidentSignInRules.NewCode()).ToList();

        Assert.All(codes, code => Assert.Matches("^[0-9]{6}$", code));
        Assert.True(codes.Distinct(StringComparer.Ordinal).Count() > 40, "fifty random codes are nearly all different");
    }

    [Fact]
    public void A_codes_hash_holds_only_for_its_own_challenge()
    {
        var challenge = Guid.NewGuid();

        Assert.Equal(ResidentSignInRules.HashCode(challenge, "004711"), ResidentSignInRules.HashCode(challenge, " 004711 "));
        Assert.NotEqual(ResidentSignInRules.HashCode(challenge, "004711"), ResidentSignInRules.HashCode(Guid.NewGuid(), "004711"));
        Assert.NotEqual(ResidentSignInRules.HashCode(challenge, "004711"), ResidentSignInRules.HashCode(challenge, "004712"));
    }

    [Theory]
    [InlineData("004711", true)]
    [InlineData(" 004711", true)]
    [InlineData("04711", false)]
    [InlineData("0047111", false)]
    [InlineData("00471a", false)]
    [InlineData(null, false)]
    public void Only_six_digits_can_be_a_code(string? typed, bool looksLikeCode) =>
        Assert.Equal(looksLikeCode, ResidentSignInRules.LooksLikeCode(typed));

    [Fact]
    public void A_letter_code_is_twelve_readable_characters_in_groups_and_is_typed_loosely()
    {
        var code = LetterCodes.New();

        Assert.Matches("^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$", code);
        Assert.Equal(ResidentSignInRules.HashLetterCode(code), ResidentSignInRules.HashLetterCode(code.ToLowerInvariant().Replace('-', ' ')));
    }

    [Fact]
    public void The_fifth_wrong_try_locks_for_fifteen_minutes_and_starts_the_count_again()
    {
        var failed = 0;
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            var (count, lockedUntil) = ResidentSignInRules.AfterWrongTry(failed, Now.AddMinutes(-1), Now);
            Assert.Equal((attempt, (DateTimeOffset?)null), (count, lockedUntil));
            failed = count;
        }

        Assert.Equal((0, (DateTimeOffset?)Now.AddMinutes(15)), ResidentSignInRules.AfterWrongTry(failed, Now.AddMinutes(-1), Now));
    }

    [Fact]
    public void Wrong_tries_older_than_the_lock_no_longer_count()
    {
        Assert.Equal((1, (DateTimeOffset?)null), ResidentSignInRules.AfterWrongTry(4, Now.AddMinutes(-15), Now));
        Assert.Equal((0, (DateTimeOffset?)Now.AddMinutes(15)), ResidentSignInRules.AfterWrongTry(4, Now.AddMinutes(-14), Now));
        Assert.Equal((1, (DateTimeOffset?)null), ResidentSignInRules.AfterWrongTry(0, null, Now));
    }

    [Fact]
    public void Retry_after_counts_whole_seconds_rounded_up_and_at_least_one()
    {
        Assert.Equal(900, ResidentSignInRules.RetryAfterSeconds(Now.AddMinutes(15), Now));
        Assert.Equal(2, ResidentSignInRules.RetryAfterSeconds(Now.AddSeconds(1.2), Now));
        Assert.Equal(1, ResidentSignInRules.RetryAfterSeconds(Now, Now));
    }
}
