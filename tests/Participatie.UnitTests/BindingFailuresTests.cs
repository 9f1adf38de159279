using System.Text.Json;
using System.Text.Json.Serialization;
using Participatie.BuildingBlocks.Http;

namespace Participatie.UnitTests;

/// <summary>
/// The failures come from the real System.Text.Json and the real minimal-API wording, so a change of either
/// framework's words shows here rather than as a .NET type name in a partner's error.
/// </summary>
public sealed class BindingFailuresTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    private sealed record Address(string Postcode, int HouseNumber);

    private sealed record Registration(Address Address, string Language, DateOnly? MovedIn = null);

    private sealed record WithRequired
    {
        public required string Text { get; init; }

        public required Guid ResidentId { get; init; }
    }

    private static (string Field, string Message) FromJson<T>(string json)
    {
        var failure = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<T>(json, Web));
        return BindingFailures.Describe("Failed to read parameter \"Registration request\" from the request body as JSON.", failure, [], typeof(T));
    }

    [Fact]
    public void An_unknown_field_is_named_with_its_path()
    {
        var (field, message) = FromJson<Registration>("""{"address":{"postcode":"1011AB","houseNumber":1,"extra":1},"language":"nl"}""");

        Assert.Equal("address.extra", field);
        Assert.Contains("'address.extra' is not a field", message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_field_at_the_top_is_named()
    {
        var (field, _) = FromJson<Registration>("""{"address":{"postcode":"1011AB","houseNumber":1},"langauge":"nl"}""");

        Assert.Equal("langauge", field);
    }

    [Fact]
    public void A_value_of_the_wrong_type_is_described_without_dotnet_type_names()
    {
        var (field, message) = FromJson<Registration>("""{"address":{"postcode":"1011AB","houseNumber":"one"},"language":"nl"}""");

        Assert.Equal("address.houseNumber", field);
        Assert.Equal("'address.houseNumber' must be a whole number.", message);
    }

    [Fact]
    public void A_bad_date_is_described_as_a_date()
    {
        var (field, message) = FromJson<Registration>("""{"address":{"postcode":"1011AB","houseNumber":1},"language":"nl","movedIn":"yesterday"}""");

        Assert.Equal("movedIn", field);
        Assert.Contains("a date (yyyy-mm-dd)", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_required_members_are_named()
    {
        var (field, message) = FromJson<WithRequired>("""{"text":"hallo"}""");

        Assert.Equal("residentId", field);
        Assert.DoesNotContain("WithRequired", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_json_names_the_body_and_the_position()
    {
        var (field, message) = FromJson<Registration>("{\"address\": ");

        Assert.Equal("address", field);
        Assert.Contains("line 1, position 13", message, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Failed to bind parameter \"Nullable<int> Page\" from \"abc\".", "page", "'page' must be a whole number; 'abc' is not.")]
    [InlineData("Failed to bind parameter \"Guid residentId\" from \"x\".", "residentId", "'residentId' must be an id (a UUID such as 3fa85f64-5717-4562-b3fc-2c963f66afa6); 'x' is not.")]
    [InlineData("Failed to bind parameter \"DateOnly from\" from \"01-02-2027\".", "From", "'From' must be a date (yyyy-mm-dd); '01-02-2027' is not.")]
    [InlineData("Required parameter \"string buurtCode\" was not provided from query string.", "buurtCode", "'buurtCode' is required.")]
    [InlineData("Required parameter \"CreateReaction request\" was not provided from body.", "body", "A JSON body is required.")]
    [InlineData("Expected a supported JSON media type but got \"text/plain\".", "body", "The body must be JSON: send it with 'Content-Type: application/json'.")]
    public void Parameter_failures_name_the_parameter_as_sent(string frameworkMessage, string field, string message)
    {
        // "From" was sent with a capital: the key is named as the client spelled it.
        Assert.Equal((field, message), BindingFailures.Describe(frameworkMessage, null, ["From", "page"]));
    }
}
