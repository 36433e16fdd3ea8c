package com.relaycrm.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.platform.Role;
import com.relaycrm.testsupport.BrowserTestSupport;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

class SignInBrowserTest extends BrowserTestSupport {

    @Test
    void signInShowsTheLandingPageAndSignOutReturnsToTheForm() {
        WebDriver browser = newBrowser();
        browser.get(url("/console/signin"));
        browser.findElement(By.id("token")).sendKeys("rly_not-a-real-token-000000000000000000");
        browser.findElement(By.cssSelector("form button[type=submit]")).click();
        assertThat(browser.findElement(By.cssSelector(".problem")).getText()).contains("unknown or revoked");
        screenshot(browser, "signin");

        signIn(browser, tokenFor("grace", Role.SALES));
        assertThat(browser.findElement(By.cssSelector("[data-testid=signed-in-user]"))
                        .getText())
                .isEqualTo("grace");
        assertThat(browser.findElements(By.cssSelector("header nav a")))
                .extracting(e -> e.getText())
                .containsExactly("Pipeline", "Inbox", "Field service", "Imports", "GitHub");
        screenshot(browser, "home");

        browser.findElement(By.cssSelector(".who button[type=submit]")).click();
        waitFor(browser).until(ExpectedConditions.urlContains("/console/signin"));
        assertThat(browser.findElement(By.cssSelector(".notice")).getText()).contains("signed out");
        browser.get(url("/console"));
        assertThat(browser.getCurrentUrl()).endsWith("/console/signin");
    }

    @Test
    void theLayoutFitsAPhoneWidthScreen() {
        WebDriver phone = newBrowser(375, 812);
        signIn(phone, tokenFor("heidi", Role.VIEWER));
        long scrollWidth =
                (Long) ((JavascriptExecutor) phone).executeScript("return document.documentElement.scrollWidth");
        assertThat(scrollWidth).isLessThanOrEqualTo(375);
        assertThat(phone.findElement(By.linkText("Inbox")).isDisplayed()).isTrue();
    }
}
