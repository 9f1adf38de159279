using Participatie.Contracts;

namespace Participatie.UnitTests;

/// <summary>Postcodes, suffixes and CBS codes as the contracts accept them (checked by hand, without a time limit).</summary>
public sealed class AddressKeysTests
{
    [Theory]
    [InlineData("1021AB", "1021AB")]
    [InlineData("1021 ab", "1021AB")]
    [InlineData(" 9999 zz ", "9999ZZ")]
    [InlineData("0123AB", null)] // never starts with 0
    [InlineData("1021SA", null)] // SA, SD and SS are not used
    [InlineData("1021SD", null)]
    [InlineData("1021SS", null)]
    [InlineData("1021AÖ", null)]
    [InlineData("102AAB", null)]
    [InlineData("1021A", null)]
    [InlineData("1021ABC", null)]
    [InlineData("１０２１AB", null)] // full-width digits are digits to char.IsDigit, not to a postcode
    [InlineData("", null)]
    public void A_postcode_is_four_digits_and_two_letters(string typed, string? expected) =>
        Assert.Equal(expected, AddressKeys.NormalisePostcode(typed));

    [Theory]
    [InlineData(" a", "A")]
    [InlineData("-a2", "A2")]
    [InlineData("", "")]
    [InlineData("ß", null)]
    [InlineData("A/1", null)]
    [InlineData("ABCDEFGHIJK", null)]
    public void A_suffix_is_letters_and_digits(string typed, string? expected) =>
        Assert.Equal(expected, AddressKeys.NormaliseSuffix(typed));

    [Fact]
    public void A_home_key_names_postcode_number_and_suffix()
    {
        Assert.Equal("1021AB 9-A", AddressKeys.Key("1021 ab", 9, "-a"));
        Assert.Equal("1021AB 9", AddressKeys.Key("1021AB", 9, null));
        Assert.Null(AddressKeys.Key("1021SS", 9, null));
    }

    [Theory]
    [InlineData("BU03630001", true)]
    [InlineData("BU0363000", false)]
    [InlineData("BU036300011", false)]
    [InlineData("bu03630001", false)]
    [InlineData("BU0363000A", false)]
    [InlineData("GM0363", false)]
    [InlineData(null, false)]
    public void A_buurt_code_is_BU_and_eight_digits(string? code, bool valid) => Assert.Equal(valid, BuurtCodes.IsValid(code));

    [Theory]
    [InlineData("GM0363", true)]
    [InlineData("GM036", false)]
    [InlineData("GM03631", false)]
    [InlineData("BU0363", false)]
    [InlineData("GM０３６３", false)]
    public void A_gemeente_code_is_GM_and_four_digits(string code, bool valid) => Assert.Equal(valid, BuurtCodes.IsGemeenteCode(code));
}
