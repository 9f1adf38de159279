using Participatie.BuildingBlocks.Http;
using Participatie.Contracts;
using Participatie.Residents.Registration;
using Participatie.Residents.Domain;

namespace Participatie.UnitTests;

public class ResidentRulesTests
{
    [Theory]
    [InlineData("1234 AB", "1234AB")]
    [InlineData("1234ab", "1234AB")]
    [InlineData(" 9999 zz ", "9999ZZ")]
    public void Postcodes_are_normalised(string input, string expected) =>
        Assert.Equal(expected, AddressKeys.NormalisePostcode(input));

    [Theory]
    [InlineData("0123 AB")] // no postcode starts with 0
    [InlineData("1234 SA")] // SA, SD and SS are never issued
    [InlineData("1234 SS")]
    [InlineData("123 AB")]
    [InlineData("1234 A1")]
    [InlineData("")]
    public void Impossible_postcodes_are_refused(string input) => Assert.Null(AddressKeys.NormalisePostcode(input));

    [Theory]
    [InlineData("BU03630001", true)]
    [InlineData("BU0363000", false)]
    [InlineData("WK036300", false)]
    [InlineData("bu03630001", false)]
    public void Buurt_codes_follow_the_CBS_format(string code, bool valid) => Assert.Equal(valid, BuurtCodes.IsValid(code));

    [Theory]
    [InlineData("GM0363", true)]
    [InlineData("GM363", false)]
    [InlineData("GM03630", false)]
    [InlineData("gm0363", false)]
    [InlineData("BU03630001", false)]
    public void Gemeente_codes_follow_the_CBS_format(string code, bool valid) => Assert.Equal(valid, BuurtCodes.IsGemeenteCode(code));

    [Theory]
    [InlineData("BU03630001", "GM0363")]
    [InlineData("BU05991234", "GM0599")]
    [InlineData("BU00140000", "GM0014")]
    public void A_buurt_lies_in_the_gemeente_its_code_names(string buurtCode, string gemeenteCode) =>
        Assert.Equal(gemeenteCode, BuurtCodes.GemeenteOf(buurtCode));

    [Theory]
    [InlineData("+31612345678", true)]
    [InlineData("0612345678", true)]
    [InlineData("06 1234 5678", true)]
    [InlineData("12345", false)]
    [InlineData("+0612345678", false)]
    public void Phone_numbers_are_checked(string number, bool valid) => Assert.Equal(valid, ContactDetails.IsPhoneNumber(number));

    [Fact]
    public void A_complete_registration_is_valid()
    {
        var errors = Validate(ValidRequest);
        Assert.True(errors.IsEmpty, string.Join("; ", errors.ToDictionary().Keys));
    }

    [Fact]
    public void Every_missing_or_wrong_field_is_named()
    {
        var errors = Validate(new RegisterResidentRequest(null, "0000 AA", 0, null, "BU1", "not-a-mail", null, "xx", "pigeon"))
            .ToDictionary();

        Assert.Equal(
            ["buurtCode", "email", "fullName", "houseNumber", "postcode", "preferredChannel", "preferredLanguage"],
            errors.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("email", "email")]
    [InlineData("sms", "phoneNumber")]
    public void A_resident_must_be_reachable_through_the_chosen_channel(string channel, string missingField)
    {
        var errors = Validate(ValidRequest with { PreferredChannel = channel, Email = null, PhoneNumber = null }).ToDictionary();

        Assert.Equal([missingField], errors.Keys);
    }

    [Fact]
    public void Letter_needs_no_contact_details_beyond_the_address()
    {
        var errors = Validate(ValidRequest with { PreferredChannel = Channels.Letter, Email = null, PhoneNumber = null });
        Assert.True(errors.IsEmpty);
    }

    private static readonly RegisterResidentRequest ValidRequest = new(
        "Anna de Vries", "1234 AB", 12, "A", "BU03630001", "anna@example.org", null, Languages.Dutch, Channels.Email);

    private static ValidationErrors Validate(RegisterResidentRequest request)
    {
        var errors = new ValidationErrors();
        request.Validate(errors);
        return errors;
    }
}
