using System.Text.Json;
using System.Text.Json.Nodes;

namespace Participatie.Residents.DataRights;

/// <summary>The one machine-readable file of an export (AVG art. 20): the request and every service's part, as sent.</summary>
public static class ExportDocument
{
    // A file the resident reads too: "Yılmaz" and "ağaç" as written, not as \u escapes. Relaxed escaping is safe here,
    // because the file is served as application/json for download, never embedded in a page.
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static JsonObject Build(ExportRecord export, IReadOnlyList<ExportPart> parts)
    {
        var services = new JsonObject();
        foreach (var part in parts)
        {
            services[part.Service] = new JsonObject
            {
                ["exportedAt"] = part.ExportedAt,
                ["data"] = JsonNode.Parse(part.Data),
            };
        }

        return new JsonObject
        {
            ["exportId"] = export.Id,
            ["residentId"] = export.ResidentId,
            ["requestedBy"] = export.RequestedBy,
            ["requestedAt"] = export.RequestedAt,
            ["services"] = services,
        };
    }

    public static byte[] ToUtf8(JsonObject document) => JsonSerializer.SerializeToUtf8Bytes(document, Indented);
}
