using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Participatie.BuildingBlocks.Http;
using Participatie.Contracts;

namespace Participatie.PartnerCoordination.ResidentSignIn;

/// <summary>
/// Asking for a sign-in code, without a token. The answer never tells whether an address or home is known: 202,
/// whatever happened. The code itself is redeemed at the token endpoint.
/// </summary>
public static class ResidentSignInApi
{
    public static IEndpointRouteBuilder MapResidentSignInApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapApiGroup("/v1/sign-in", "Resident sign-in").AllowAnonymous();
        api.MapPost("/codes", RequestCode)
            .WithName("RequestSignInCode")
            .WithSummary("Send a resident a one-time sign-in code by e-mail or SMS")
            .WithDescription(
                "Always answers 202 with a challenge id, also when nobody signs in with the address. The code (6 digits, valid "
                + "10 minutes) is redeemed at /connect/token with grant type urn:participatie:grant-type:sign-in-code. "
                + "Residents of different homes may share an e-mail address or phone number: then the code goes only to the one "
                + "living at the postcode and house number given with it, and without them to nobody (still 202, so that the "
                + "answer does not tell that the address is shared). Sign-in pages should therefore let a resident give their "
                + "address too; it is ignored when only one resident signs in with the e-mail address or phone number.");
        api.MapPost("/letter-codes", RequestLetterCode)
            .WithName("RequestLetterSignInCode")
            .WithSummary("Send each resident of a home a personal sign-in code by letter")
            .WithDescription(
                "Always answers 202. The code (valid 30 days, once) is redeemed at /connect/token with grant type "
                + "urn:participatie:grant-type:letter-code and the same address.");
        return routes;
    }

    internal static async Task<Accepted<SignInChallenge>> RequestCode(
        RequestSignInCodeRequest request, ResidentSignInService signIn, CancellationToken cancellationToken)
    {
        var homeAddress = request.HouseNumber is { } houseNumber ? AddressKeys.Key(request.Postcode, houseNumber, request.HouseNumberSuffix) : null;
        var challenge = request.EmailAddress is { } email
            ? await signIn.RequestCodeAsync(ResidentSignInService.Email, email, homeAddress, cancellationToken)
            : await signIn.RequestCodeAsync(ResidentSignInService.Sms, request.PhoneNumber!, homeAddress, cancellationToken);
        return TypedResults.Accepted((string?)null, challenge);
    }

    internal static async Task<Accepted<LetterCodeRequestAccepted>> RequestLetterCode(
        RequestLetterCodeRequest request, ResidentSignInService signIn, CancellationToken cancellationToken)
    {
        var homeKey = AddressKeys.Key(request.Postcode, request.HouseNumber!.Value, request.HouseNumberSuffix)!;
        var expiresAt = await signIn.RequestLetterCodesAsync(homeKey, cancellationToken);
        return TypedResults.Accepted((string?)null, new LetterCodeRequestAccepted { ExpiresAt = expiresAt });
    }
}

/// <summary>
/// Exactly one of an e-mail address and a phone number; optionally the resident's home (postcode and house number,
/// with the suffix if there is one), which decides who gets the code when residents of several homes share the address.
/// </summary>
public sealed record RequestSignInCodeRequest(
    [StringLength(320)] string? EmailAddress, string? PhoneNumber, string? Postcode = null, int? HouseNumber = null, string? HouseNumberSuffix = null) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        // The home is optional, but once begun it must be whole: half an address would silently send nothing.
        if (!string.IsNullOrWhiteSpace(Postcode) || HouseNumber is not null || !string.IsNullOrWhiteSpace(HouseNumberSuffix))
        {
            HomeAddressRules.Validate(errors, Postcode, HouseNumber, HouseNumberSuffix);
        }

        var hasEmail = !string.IsNullOrWhiteSpace(EmailAddress);
        var hasPhone = !string.IsNullOrWhiteSpace(PhoneNumber);
        if (hasEmail == hasPhone)
        {
            var message = hasEmail ? "Give 'emailAddress' or 'phoneNumber', not both." : "Give 'emailAddress' or 'phoneNumber'.";
            errors.Add("emailAddress", message);
            errors.Add("phoneNumber", message);
            return;
        }

        if (hasEmail)
        {
            errors.MaxLength("emailAddress", EmailAddress, 320);
            var at = EmailAddress!.Trim().IndexOf('@', StringComparison.Ordinal);
            if (at <= 0 || at == EmailAddress.Trim().Length - 1)
            {
                errors.Add("emailAddress", "'emailAddress' is not an e-mail address.");
            }
        }
        else
        {
            var normalised = ResidentIdentifierKeys.NormalisePhone(PhoneNumber!);
            if (PhoneNumber!.Length > 32 || normalised.Length is < 9 or > 16 || !normalised.StartsWith('+') || normalised.LastIndexOf('+') > 0)
            {
                errors.Add("phoneNumber", "'phoneNumber' is not a phone number (for example 06 1234 5678 or +31 6 1234 5678).");
            }
        }
    }
}

/// <summary>A Dutch address: postcode, house number and, when there is one, the suffix.</summary>
public sealed record RequestLetterCodeRequest(string? Postcode, int? HouseNumber, string? HouseNumberSuffix) : IValidatableRequest
{
    public void Validate(ValidationErrors errors) => HomeAddressRules.Validate(errors, Postcode, HouseNumber, HouseNumberSuffix);
}

/// <summary>What makes a home's address valid, wherever a resident gives it.</summary>
internal static class HomeAddressRules
{
    public static void Validate(ValidationErrors errors, string? postcode, int? houseNumber, string? houseNumberSuffix)
    {
        if (errors.Required("postcode", postcode) && AddressKeys.NormalisePostcode(postcode) is null)
        {
            errors.Add("postcode", "'postcode' is not a Dutch postcode (for example 1021 AB).");
        }

        if (houseNumber is not { } number)
        {
            errors.Add("houseNumber", "'houseNumber' is required.");
        }
        else if (!AddressKeys.IsHouseNumber(number))
        {
            errors.Add("houseNumber", "'houseNumber' must be between 1 and 99999.");
        }

        if (AddressKeys.NormaliseSuffix(houseNumberSuffix) is null)
        {
            errors.Add("houseNumberSuffix", $"'houseNumberSuffix' may hold at most {AddressKeys.MaximumSuffixLength} letters and digits.");
        }
    }
}

public sealed record LetterCodeRequestAccepted
{
    public required DateTimeOffset ExpiresAt { get; init; }
}
