using Participatie.Contracts;
using Participatie.PartnerCoordination.Domain;
using Participatie.PartnerCoordination.Identity;

namespace Participatie.UnitTests;

public class PartnerRulesTests
{
    [Theory]
    [InlineData("municipality", "00000001002220647000", true)]
    [InlineData("municipality", "12345678", false)] // a municipality is identified by its OIN
    [InlineData("housing-corporation", "12345678", true)]
    [InlineData("social-institution", "1234567", false)]
    [InlineData("tenants-organisation", "1234567A", false)]
    [InlineData("bewonerscommissie", "12345678", true)]
    [InlineData("housing-corporation", "00000001002220647000", false)]
    public void Registry_numbers_fit_the_kind_of_partner(string kind, string number, bool valid) =>
        Assert.Equal(valid, RegistryNumbers.Check(kind, number) is null);

    [Theory]
    [InlineData(TrajectoryRoles.Lead, true, true, true)]
    [InlineData(TrajectoryRoles.CoOwner, true, true, true)]
    [InlineData(TrajectoryRoles.Contributor, false, true, true)]
    [InlineData(TrajectoryRoles.Observer, false, false, true)]
    [InlineData(null, false, false, false)]
    public void Each_role_allows_what_it_says(string? role, bool manage, bool contribute, bool read)
    {
        Assert.Equal(manage, TrajectoryRoles.CanManageMembers(role));
        Assert.Equal(contribute, TrajectoryRoles.CanContribute(role));
        Assert.Equal(read, TrajectoryRoles.CanRead(role));
    }

    [Fact]
    public void There_is_only_one_lead_to_give() => Assert.DoesNotContain(TrajectoryRoles.Lead, TrajectoryRoles.Assignable);

    [Fact]
    public void Client_secrets_are_kept_as_salted_hashes()
    {
        var secret = ClientSecrets.Generate();
        var first = ClientSecrets.Hash(secret);
        var second = ClientSecrets.Hash(secret);

        Assert.DoesNotContain(secret, first, StringComparison.Ordinal);
        Assert.NotEqual(first, second); // a fresh salt each time
        Assert.True(ClientSecrets.Verify(secret, first));
        Assert.False(ClientSecrets.Verify(secret + "x", first));
        Assert.False(ClientSecrets.Verify(secret, "plain-text"));
    }
}
