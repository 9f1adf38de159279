using Participatie.Contracts;

namespace Participatie.UnitTests;

public class AgeBandsTests
{
    [Theory]
    [InlineData(2002, "under-25")] // 24
    [InlineData(2001, "25-44")] // 25
    [InlineData(1982, "25-44")] // 44
    [InlineData(1981, "45-64")] // 45
    [InlineData(1961, "65-74")] // 65
    [InlineData(1951, "75-plus")] // 75
    [InlineData(null, "unknown")]
    public void Birth_years_become_coarse_age_bands(int? birthYear, string band) => Assert.Equal(band, AgeBands.Of(birthYear, 2026));
}
