using Participatie.BuildingBlocks.Http;
using Participatie.BuildingBlocks.Messaging;

namespace Participatie.UnitTests;

public class BuildingBlocksTests
{
    [Fact]
    public void Broker_addresses_keep_passwords_with_special_characters()
    {
        var address = BrokerAddress.Parse("amqp://guest:p%40ss%3Aw%7Brd%7D@localhost:5673/participatie");

        Assert.Equal(new BrokerAddress("localhost", 5673, "participatie", "guest", "p@ss:w{rd}"), address);
    }

    [Fact]
    public void Broker_addresses_default_to_the_root_virtual_host() =>
        Assert.Equal("/", BrokerAddress.Parse("amqp://user:pass@rabbit:5672").VirtualHost);

    [Theory]
    [InlineData(null, null, 0, 20)]
    [InlineData(3, 10, 20, 10)]
    public void Pages_translate_to_offsets(int? page, int? pageSize, long offset, int size)
    {
        var query = new PageQuery { Page = page, PageSize = pageSize };

        Assert.Equal(offset, query.Offset);
        Assert.Equal(size, query.Size);
    }

    [Theory]
    [InlineData(0, 20, "page")]
    [InlineData(1, 0, "pageSize")]
    [InlineData(1, 101, "pageSize")]
    public void Impossible_pages_are_named(int page, int pageSize, string field)
    {
        var errors = new ValidationErrors();
        new PageQuery { Page = page, PageSize = pageSize }.Validate(errors);

        Assert.Equal([field], errors.ToDictionary().Keys);
    }
}
