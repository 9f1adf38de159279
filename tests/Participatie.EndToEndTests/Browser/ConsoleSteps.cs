using Microsoft.Playwright;

namespace Participatie.EndToEndTests.Browser;

/// <summary>Steps in the partner console that several tests take.</summary>
public static class ConsoleSteps
{
    /// <summary>Opens the console, which sends the browser to the token server's sign-in page, and signs in there.</summary>
    public static async Task SignInAsync(IPage page, ConsoleScenario scenario)
    {
        await page.GotoAsync("/console/");
        // The platform's own sign-in page, reached through /connect/authorize.
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/sign-in"));
        await page.GetByLabel("E-mailadres").FillAsync(scenario.StaffEmail);
        await page.GetByLabel("Wachtwoord").FillAsync(scenario.StaffPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Inloggen" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"^https?://[^/]+/console/$"));
    }

    /// <summary>Presses Tab until the element has focus: what a keyboard user does to reach it.</summary>
    public static async Task TabToAsync(IPage page, ILocator target, int maximumPresses = 40)
    {
        for (var press = 0; press < maximumPresses; press++)
        {
            if (await target.EvaluateAsync<bool>("element => element === document.activeElement"))
            {
                return;
            }

            await page.Keyboard.PressAsync("Tab");
        }

        Assert.Fail($"{maximumPresses} presses of Tab did not reach {target}");
    }
}
