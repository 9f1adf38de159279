using Participatie.Residents.Domain;

namespace Participatie.UnitTests;

public class CsvRecordsTests
{
    [Fact]
    public void Quoted_fields_keep_delimiters_quotes_and_line_breaks()
    {
        var records = CsvRecords.Parse("a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n", ',');

        Assert.Equal(2, records.Count);
        Assert.Equal(["a", "b", "c"], records[0]);
        Assert.Equal(["x, y", "say \"hi\"", "two\nlines"], records[1]);
    }

    [Fact]
    public void Empty_fields_stay_and_blank_lines_are_no_records()
    {
        var records = CsvRecords.Parse("a;;c\n\n;\"\";\n", ';');

        Assert.Equal([["a", "", "c"], ["", "", ""]], records);
    }

    [Fact]
    public void The_last_line_needs_no_line_break() =>
        Assert.Equal([["a", "b"], ["1", "2"]], CsvRecords.Parse("a,b\n1,2", ','));

    [Theory]
    [InlineData("a,\"open\n")]
    [InlineData("\"closed\"then,more\n")]
    public void Broken_quoting_is_refused_with_its_line(string text) =>
        Assert.Contains("Line 1", Assert.Throws<FormatException>(() => CsvRecords.Parse(text, ',')).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("fullName;postcode,extra\n", ',')]
    [InlineData("fullName;postcode;houseNumber\n1,2,3", ';')]
    [InlineData("\"a;b\",c\n", ',')]
    public void The_delimiter_is_the_one_the_header_uses_most(string text, char expected) =>
        Assert.Equal(expected, CsvRecords.DetectDelimiter(text));
}
