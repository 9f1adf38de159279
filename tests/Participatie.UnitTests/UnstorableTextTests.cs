using Participatie.BuildingBlocks.Http;

namespace Participatie.UnitTests;

/// <summary>
/// Issue 13: text that PostgreSQL cannot store is refused wherever it sits in a request, named by its path, including
/// in nested objects and lists of objects (before, only a request's own string properties were checked).
/// </summary>
public sealed class UnstorableTextTests
{
    private sealed record Item(string? Text, IReadOnlyList<string>? Tags);

    private sealed record Part(string? Name);

    private sealed record ValidatedItem(string? Text) : IValidatableRequest
    {
        public void Validate(ValidationErrors errors)
        {
        }
    }

    private sealed record Batch(IReadOnlyList<ValidatedItem> Rows, IReadOnlyList<Item> Items) : IValidatableRequest
    {
        public void Validate(ValidationErrors errors)
        {
        }
    }

    private sealed record Request(string? Title, IReadOnlyList<Item>? Items, Part? Part, IReadOnlyDictionary<string, string>? Texts) : IValidatableRequest
    {
        public void Validate(ValidationErrors errors)
        {
        }
    }

    [Fact]
    public void A_nul_character_is_named_at_its_path_in_every_shape()
    {
        var errors = new ValidationErrors();

        InputBounds.Check(
            new Request(
                "a\0b",
                [new Item("fine", ["ok"]), new Item("bad\0", ["ok", "\0"])],
                new Part("x\0"),
                new Dictionary<string, string>(StringComparer.Ordinal) { ["en"] = "\0" }),
            errors);

        Assert.Equal(
            ["items[1].tags[1]", "items[1].text", "part.name", "texts.en", "title"],
            errors.ToDictionary().Keys.Order(StringComparer.Ordinal));
        Assert.Contains("NUL", errors.ToDictionary()["title"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void A_lone_surrogate_is_refused_and_a_pair_is_not()
    {
        Assert.NotNull(InputBounds.Unstorable("a\ud800b"));
        Assert.NotNull(InputBounds.Unstorable("a\udc00"));
        Assert.NotNull(InputBounds.Unstorable("\ud800"));
        Assert.Null(InputBounds.Unstorable("emoji 😀 and ë"));
        Assert.Null(InputBounds.Unstorable(null));
    }

    [Fact]
    public void Nested_text_within_bounds_passes()
    {
        var errors = new ValidationErrors();

        InputBounds.Check(new Request("title", [new Item("text", ["tag"])], new Part("name"), null), errors);

        Assert.True(errors.IsEmpty);
    }

    [Fact]
    public void A_too_long_string_in_a_validated_list_item_is_named_at_its_path()
    {
        var tooLong = new string('a', InputBounds.DefaultMaxLength + 1);
        var errors = new ValidationErrors();

        // A validated item (a bulk row) has the bounds of the request it stands for; a plain item's own Validate decides.
        InputBounds.Check(new Batch([new ValidatedItem("ok"), new ValidatedItem(tooLong)], [new Item(tooLong, null)]), errors);

        Assert.Equal(["rows[1].text"], errors.ToDictionary().Keys);
    }
}
