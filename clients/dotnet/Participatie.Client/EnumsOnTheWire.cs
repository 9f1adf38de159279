using System.Text.Json;
using System.Text.Json.Serialization;

namespace Participatie.Client
{
    /// <summary>
    /// Vocabulary values travel as their text (<c>"email"</c>, <c>"nl.participatie.reaction.submitted"</c>). NSwag puts a
    /// string converter on a single enum property only, so a list of them (event types, target groups, services) was
    /// sent as numbers, which the platform refuses, and could not be read back; every generated client takes this one.
    /// </summary>
    internal static class EnumsOnTheWire
    {
        public static void Configure(JsonSerializerOptions settings) =>
            settings.Converters.Add(new JsonStringEnumConverter(namingPolicy: null, allowIntegerValues: false));
    }
}

namespace Participatie.Client.Residents
{
    public partial class ResidentsClient
    {
        static partial void UpdateJsonSerializerSettings(JsonSerializerOptions settings) => EnumsOnTheWire.Configure(settings);
    }
}

namespace Participatie.Client.Consultations
{
    public partial class ConsultationsClient
    {
        static partial void UpdateJsonSerializerSettings(JsonSerializerOptions settings) => EnumsOnTheWire.Configure(settings);
    }
}

namespace Participatie.Client.PartnerCoordination
{
    public partial class PartnerCoordinationClient
    {
        static partial void UpdateJsonSerializerSettings(JsonSerializerOptions settings) => EnumsOnTheWire.Configure(settings);
    }
}

namespace Participatie.Client.Notifications
{
    public partial class NotificationsClient
    {
        static partial void UpdateJsonSerializerSettings(JsonSerializerOptions settings) => EnumsOnTheWire.Configure(settings);
    }
}
