package com.relaycrm.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.platform.Role;
import com.relaycrm.testsupport.ApiClient;
import com.relaycrm.testsupport.BrowserTestSupport;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

class ConsolePagesBrowserTest extends BrowserTestSupport {

    @Test
    void salesConvertsALeadFromThePipelineAndSeesTheCustomer() {
        ConsoleFixtures sales = new ConsoleFixtures(api);
        long ana = sales.employee("Ana Lima");
        long bruno = sales.employee("Bruno Reis");
        sales.lead(ana, "Acme Logistics", "12000", "web");
        sales.lead(bruno, "Borealis Foods", "4500.50", "referral");
        long contacted =
                sales.lead(ana, "Cobalt Mining", "30000", "fair").get("id").asLong();
        sales.status(contacted, "Contacted");
        long qualified =
                sales.lead(bruno, "Delta Clinics", "8000", "web").get("id").asLong();
        sales.status(qualified, "Qualified");
        long target =
                sales.lead(ana, "Evergreen Schools", "15000", "web").get("id").asLong();
        sales.status(target, "Negotiation");

        WebDriver browser = signedInBrowser("sally", Role.SALES);
        browser.findElement(By.linkText("Pipeline")).click();
        WebElement negotiation = waitFor(browser)
                .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("section[data-status=Negotiation]")));
        assertThat(negotiation
                        .findElement(By.cssSelector("[data-testid=count]"))
                        .getText())
                .isEqualTo("1");
        assertThat(negotiation.findElement(By.cssSelector("[data-testid=sum]")).getText())
                .isEqualTo("15,000.00 EUR");
        screenshot(browser, "pipeline");

        negotiation.findElement(By.linkText("Evergreen Schools")).click();
        waitFor(browser).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-testid=convert]")));
        screenshot(browser, "lead");
        browser.findElement(By.cssSelector("[data-testid=convert]")).click();

        WebElement customer = waitFor(browser)
                .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-testid=customer]")));
        long customerId = api.get("/leads/" + target).json().get("customer_id").asLong();
        assertThat(browser.findElement(By.cssSelector("[data-testid=lead-status]"))
                        .getText())
                .isEqualTo("Won");
        assertThat(customer.getText()).contains("Evergreen Schools (#" + customerId + ")", "Ana Lima");
        assertThat(browser.findElement(By.cssSelector(".notice")).getText()).contains("customer " + customerId);
        screenshot(browser, "lead-converted");

        customer.findElement(By.partialLinkText("Evergreen Schools")).click();
        waitFor(browser).until(ExpectedConditions.textToBe(By.tagName("h1"), "Evergreen Schools"));
        screenshot(browser, "customer");
        browser.findElement(By.linkText("← Customers")).click();
        waitFor(browser).until(ExpectedConditions.urlContains("/console/customers"));
        screenshot(browser, "customers");
        browser.findElement(By.linkText("Employees")).click();
        waitFor(browser).until(ExpectedConditions.urlContains("/console/employees"));
        assertThat(browser.findElement(By.tagName("table")).getText()).contains("Ana Lima", "Bruno Reis");
        screenshot(browser, "employees");

        browser.get(url("/console/pipeline"));
        WebElement won = browser.findElement(By.cssSelector("section[data-status=Won]"));
        assertThat(won.findElement(By.cssSelector("[data-testid=count]")).getText())
                .isEqualTo("1");
    }

    @Test
    void aMessageSentInOneBrowserArrivesLiveInTheOther() {
        ApiClient.Response opened = api.post("/thread", "{\"users\":[\"alice\",\"bob\"]}");
        assertThat(opened.status()).isEqualTo(201);
        String thread = opened.json().get("thread_id").asString();
        assertThat(api.post("/thread/" + thread + "/bob", "{\"message\":\"Morning! Is the Acme proposal ready?\"}")
                        .status())
                .isEqualTo(204);

        WebDriver alice = signedInBrowser("alice", Role.SALES);
        WebDriver bob = signedInBrowser("bob", Role.SALES);

        alice.findElement(By.linkText("Inbox")).click();
        WebElement row = waitFor(alice)
                .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("li[data-thread='" + thread + "']")));
        assertThat(row.findElement(By.cssSelector("[data-testid=unread]")).getText())
                .isEqualTo("1");
        screenshot(alice, "inbox");

        bob.get(url("/console/inbox/" + thread));
        alice.get(url("/console/inbox/" + thread));
        waitFor(bob).until(ExpectedConditions.textToBe(By.id("live-status"), "Live"));
        waitFor(alice).until(ExpectedConditions.textToBe(By.id("live-status"), "Live"));

        WebElement text = alice.findElement(By.id("text"));
        text.sendKeys("Yes, sending it at noon 👍");
        assertThat(alice.findElement(By.id("counter")).getText()).isEqualTo("255 left");
        alice.findElement(By.cssSelector("#send button[type=submit]")).click();

        WebElement arrived = waitFor(bob)
                .until(
                        ExpectedConditions.presenceOfElementLocated(
                                By.xpath(
                                        "//ol[@id='conversation']/li[.//p[@class='msg-text' and text()='Yes, sending it at noon 👍']]")));
        assertThat(arrived.getAttribute("data-author")).isEqualTo("alice");
        waitFor(alice).until(ExpectedConditions.textToBe(By.id("counter"), "280 left"));
        screenshot(bob, "thread");

        // Alice edits her message; Bob sees the edit live as well.
        WebElement own = waitFor(alice)
                .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#conversation li.own")));
        own.findElement(By.cssSelector("[data-edit]")).click();
        WebElement editor = own.findElement(By.cssSelector("form.edit textarea"));
        editor.clear();
        editor.sendKeys("Yes, sending it at 11:30");
        own.findElement(By.cssSelector("form.edit button[type=submit]")).click();
        waitFor(bob)
                .until(ExpectedConditions.textToBePresentInElementLocated(
                        By.cssSelector("li[data-author=alice] .msg-text"), "Yes, sending it at 11:30"));
        assertThat(api.get("/thread/" + thread)
                        .json()
                        .get("messages")
                        .get(1)
                        .get("message")
                        .asString())
                .isEqualTo("Yes, sending it at 11:30");
    }

    @Test
    void olderThreadsLoadFromTheKeyboardWithoutMovingTheListAboveThem() {
        for (int i = 0; i < 103; i++) {
            assertThat(api.post("/thread", "{\"users\":[\"dora\",\"peer" + i + "\"]}")
                            .status())
                    .isEqualTo(201);
        }
        WebDriver dora = signedInBrowser("dora", Role.VIEWER);
        dora.get(url("/console/inbox"));
        assertThat(dora.findElements(By.cssSelector("#threads > li"))).hasSize(100);
        WebElement firstRow = dora.findElement(By.cssSelector("#threads > li"));
        int firstRowTop = firstRow.getLocation().getY();
        WebElement lastRow = dora.findElements(By.cssSelector("#threads > li")).get(99);
        int lastRowTop = lastRow.getLocation().getY();

        WebElement older = dora.findElement(By.linkText("Older threads"));
        older.sendKeys(Keys.ENTER);
        waitFor(dora).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#threads > li"), 103));
        waitFor(dora).until(ExpectedConditions.textToBe(By.id("older"), "No older threads."));
        assertThat(dora.getCurrentUrl()).endsWith("/console/inbox");
        WebElement added = dora.findElements(By.cssSelector("#threads > li")).get(100);
        assertThat(dora.switchTo().activeElement())
                .as("focus moves to the first thread loaded")
                .isEqualTo(added.findElement(By.tagName("a")));
        assertThat(firstRow.getLocation().getY()).isEqualTo(firstRowTop);
        assertThat(lastRow.getLocation().getY()).isEqualTo(lastRowTop);
        assertThat(dora.findElements(By.cssSelector("#threads > li")).stream()
                        .map(li -> li.getAttribute("data-thread"))
                        .distinct()
                        .count())
                .isEqualTo(103);
    }
}
