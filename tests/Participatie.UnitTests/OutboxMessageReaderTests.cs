using Participatie.BuildingBlocks.Messaging;
using Participatie.Contracts;

namespace Participatie.UnitTests;

public class OutboxMessageReaderTests
{
    private const string ResidentRegisteredType = "Participatie.Contracts.ResidentRegistered, Participatie.Contracts";

    [Fact]
    public void A_row_written_by_the_outbox_reads_back_as_its_message()
    {
        var id = Guid.NewGuid();
        var read = OutboxMessageReader.Read(
            Guid.NewGuid(),
            ResidentRegisteredType,
            $$"""{"residentId":"{{id}}","buurtCode":"BU03630001","preferredLanguage":"nl","preferredChannel":"email","registeredAt":"2026-01-01T00:00:00Z"}""");

        Assert.True(read.IsReadable, read.Error);
        Assert.Equal(id, Assert.IsType<ResidentRegistered>(read.Message).ResidentId);
    }

    [Fact]
    public void The_name_the_outbox_writes_reads_back_every_time()
    {
        var name = OutboxEntry.MessageTypeOf<ResidentRegistered>();
        Assert.Equal(ResidentRegisteredType, name);
        Assert.Same(name, OutboxEntry.MessageTypeOf<ResidentRegistered>());

        // The second read takes the type from the cache the first one filled.
        foreach (var buurtCode in new[] { "BU03630001", "BU03630002" })
        {
            var read = OutboxMessageReader.Read(
                Guid.NewGuid(),
                name,
                $$"""{"residentId":"{{Guid.NewGuid()}}","buurtCode":"{{buurtCode}}","preferredLanguage":"nl","preferredChannel":"email","registeredAt":"2026-01-01T00:00:00Z"}""");
            Assert.True(read.IsReadable, read.Error);
            Assert.Equal(buurtCode, Assert.IsType<ResidentRegistered>(read.Message).BuurtCode);
        }
    }

    [Fact]
    public void An_unknown_message_type_cannot_be_read_and_says_so()
    {
        var read = OutboxMessageReader.Read(Guid.NewGuid(), "Participatie.Contracts.NoSuchEvent, Participatie.Contracts", "{}");

        Assert.False(read.IsReadable);
        Assert.Contains("unknown message type 'Participatie.Contracts.NoSuchEvent", read.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"residentId":"not-a-guid"}""")]
    [InlineData("""[1, 2, 3]""")]
    [InlineData("""null""")]
    public void A_payload_that_does_not_fit_its_type_cannot_be_read_and_says_why(string payload)
    {
        var read = OutboxMessageReader.Read(Guid.NewGuid(), ResidentRegisteredType, payload);

        Assert.False(read.IsReadable);
        Assert.Null(read.Message);
        Assert.NotNull(read.Error);
    }
}
