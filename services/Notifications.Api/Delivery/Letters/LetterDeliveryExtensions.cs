namespace Participatie.Notifications.Delivery.Letters;

public static class LetterDeliveryExtensions
{
    /// <summary>
    /// Letters: the batcher, the daily job and the partners' names for the sender line (the consumer is found with the
    /// service's others). The endpoints are mapped by <see cref="LetterBatchesApi.MapLetterBatchesApi"/>.
    /// </summary>
    public static IHostApplicationBuilder AddLetterDelivery(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<LetterOptions>().BindConfiguration(LetterOptions.Section)
            .Validate(letters => letters.MaxLettersPerCut > 0 && letters.CheckInterval > TimeSpan.Zero && letters.ClaimTimeout > TimeSpan.Zero,
                "Letters: MaxLettersPerCut, CheckInterval and ClaimTimeout must be positive.")
            .ValidateOnStart();
        builder.Services.AddScoped<LetterBatcher>();
        builder.Services.AddScoped<SupportMeasurements.HomeLetterBatcher>();
        builder.Services.AddHostedService<DailyLetterBatchJob>();
        return builder;
    }
}
