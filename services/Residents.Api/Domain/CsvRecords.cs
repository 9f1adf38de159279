using System.Text;

namespace Participatie.Residents.Domain;

/// <summary>
/// Splits CSV text (RFC 4180) into records of fields: fields may be quoted, a quoted field may hold the delimiter,
/// line breaks and doubled quotes (""), and lines may end in CRLF or LF. Blank lines are no records.
/// </summary>
public static class CsvRecords
{
    /// <summary>',' unless the header line has more ';' than ',' outside quotes, as spreadsheets in Dutch settings write.</summary>
    public static char DetectDelimiter(string text)
    {
        int commas = 0, semicolons = 0;
        var quoted = false;
        foreach (var character in text)
        {
            if (character == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && character is '\n' or '\r')
            {
                break;
            }
            else if (!quoted && character == ',')
            {
                commas++;
            }
            else if (!quoted && character == ';')
            {
                semicolons++;
            }
        }

        return semicolons > commas ? ';' : ',';
    }

    /// <exception cref="FormatException">A quote is not closed, or a closing quote is followed by more text.</exception>
    public static List<string[]> Parse(string text, char delimiter)
    {
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var index = 0;
        while (index <= text.Length)
        {
            var atEnd = index == text.Length;
            var character = atEnd ? '\n' : text[index];
            if (!atEnd && character == '"' && field.Length == 0)
            {
                index = ReadQuoted(text, index + 1, delimiter, field, ref line);
                continue;
            }

            if (character == delimiter)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (character is '\n' or '\r')
            {
                fields.Add(field.ToString());
                field.Clear();
                if (fields.Count > 1 || fields[0].Length > 0)
                {
                    records.Add([.. fields]);
                }

                fields.Clear();
                if (character == '\r' && index + 1 < text.Length && text[index + 1] == '\n')
                {
                    index++;
                }

                line++;
                if (atEnd)
                {
                    break;
                }
            }
            else
            {
                field.Append(character);
            }

            index++;
        }

        return records;
    }

    /// <summary>Reads a quoted field from just after its opening quote; returns the index of what follows it.</summary>
    private static int ReadQuoted(string text, int index, char delimiter, StringBuilder field, ref int line)
    {
        var startLine = line;
        while (index < text.Length)
        {
            var character = text[index];
            if (character == '"')
            {
                if (index + 1 < text.Length && text[index + 1] == '"')
                {
                    field.Append('"');
                    index += 2;
                    continue;
                }

                var next = index + 1 < text.Length ? text[index + 1] : '\n';
                if (next != delimiter && next is not ('\n' or '\r'))
                {
                    throw new FormatException($"Line {line}: a closing quote must be followed by '{delimiter}' or the end of the line.");
                }

                return index + 1;
            }

            if (character == '\n')
            {
                line++;
            }

            field.Append(character);
            index++;
        }

        throw new FormatException($"Line {startLine}: a quoted value is not closed.");
    }
}
