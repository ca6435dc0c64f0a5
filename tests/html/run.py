#!/usr/bin/env python3
"""Checks the HTML report in a real browser: Debian's Chromium, headless, driven through
chromium-driver with Selenium (issue 16).

Three pages: `djguard check --format html` on the bundled example project and on a generated
project with every kind of static finding and hostile text (the one tests/formats/run.py
builds: `<script>` in a setting, `<img onerror>` in a template's file name), and `djguard scan
--format html` of a loopback site whose headers and cookie carry markup. For each page:

  - it loads with no console message at warning level or above (a violation of the page's
    Content-Security-Policy is one) and fetches nothing: no resource entry, no request to any
    host;
  - the findings shown equal the JSON report's, and so does the counter;
  - the filters work, driven as a person would (clicks, a select, typing): unticking a severity,
    choosing a rule, typing part of a path each leave exactly the JSON's matching findings,
    "Show all" brings every one back;
  - no hostile value became markup: the page's only script is its own, no image or SVG
    element exists, no alert opened, and the hostile text is on the page as text;
  - a screenshot is saved under .cache/html/screenshots/.

Usage:  python3 tests/html/run.py [--djguard PATH]
chromium and chromium-driver come from Debian (apt-get) when absent; Selenium from PyPI into
.cache/html/venv. Selenium is given both paths, so its manager never downloads a browser.
Exit status 0 when every check passes, 1 otherwise, 2 when the harness cannot run.
"""

import argparse
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CACHE = os.path.join(ROOT, ".cache", "html")
SHOTS = os.path.join(CACHE, "screenshots")
SELENIUM = "selenium==4.50.0"
CHROMIUM = "/usr/bin/chromium"
DRIVER = "/usr/bin/chromedriver"

sys.path.insert(0, os.path.join(ROOT, "tests", "formats"))
import run as formats  # noqa: E402  (the hostile project and site are shared)

check, failures = formats.check, formats.failures  # one list for both modules


def ensure_browser():
    if os.path.exists(CHROMIUM) and os.path.exists(DRIVER):
        return
    print("  installing chromium and chromium-driver from Debian")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(sudo + ["apt-get", "update", "-q"], check=True, env=env, stdout=subprocess.DEVNULL)
    subprocess.run(sudo + ["apt-get", "install", "-y", "-q", "chromium", "chromium-driver"],
                   check=True, env=env, stdout=subprocess.DEVNULL)


def venv_python():
    return os.path.join(formats.tool_venv(os.path.join(CACHE, "venv"), [SELENIUM], "python"), "python")


def djguard(binary, *args):
    env = dict(os.environ, DJGUARD_OFFLINE="1", NO_COLOR="1")
    p = subprocess.run([binary, *args], capture_output=True, text=True, env=env)
    if p.returncode not in (0, 1):
        failures.append(f"djguard {' '.join(args[:2])}: exit {p.returncode}: {p.stderr.strip()[:300]}")
        return None
    return p.stdout


# The browser side runs in Selenium's venv: this script writes the pages and the expectations,
# then runs BROWSER_CHECK there with them as JSON on stdin.
BROWSER_CHECK = r'''
import json, sys
from selenium import webdriver
from selenium.common.exceptions import (NoAlertPresentException, UnexpectedAlertPresentException,
                                        WebDriverException)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

jobs = json.load(sys.stdin)
problems = []
opts = webdriver.ChromeOptions()
opts.binary_location = jobs["chromium"]
for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
          "--window-size=1280,1600", "--no-first-run", "--disable-background-networking",
          "--disable-component-update", "--disable-sync", "--disable-default-apps"):
    opts.add_argument(a)
opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
driver = webdriver.Chrome(service=Service(executable_path=jobs["driver"]), options=opts)

def visible(driver):
    return [el for el in driver.find_elements(By.CSS_SELECTOR, "article.finding") if el.is_displayed()]

def shown(driver):
    return int(driver.find_element(By.ID, "shown").text)

def check_page(job):
    label = job["label"]
    def fail(what):
        problems.append(f"{label}: {what}")
    driver.get(job["url"])
    try:
        driver.switch_to.alert.accept()
        fail("an alert opened: a hostile value ran")
    except NoAlertPresentException:
        pass
    logs = [e for e in driver.get_log("browser") if e["level"] in ("WARNING", "SEVERE")]
    if logs:
        fail(f"console messages: {logs[:3]}")
    resources = driver.execute_script("return performance.getEntriesByType('resource').length")
    if resources:
        fail(f"{resources} resources fetched")
    findings = job["findings"]
    total = len(findings)
    if len(driver.find_elements(By.CSS_SELECTOR, "article.finding")) != total:
        fail("finding count differs from the JSON")
    if len(visible(driver)) != total or shown(driver) != total:
        fail(f"{len(visible(driver))} visible, counter {shown(driver)}, JSON {total}")
    # The policy: nothing from any host, no inline code but the page's own (by hash).
    csp = driver.execute_script(
        "var m = document.querySelector('meta[http-equiv=Content-Security-Policy]');"
        "return m ? m.content : ''")
    if not csp.startswith("default-src 'none'") or "unsafe" in csp or "sha256-" not in csp:
        fail(f"Content-Security-Policy {csp!r}")
    # Structure: the page's own script only; nothing hostile became an element.
    if driver.execute_script("return document.scripts.length") != 1:
        fail("more than one script element")
    if driver.find_elements(By.CSS_SELECTOR, "img, svg, iframe, object, embed"):
        fail("an image, SVG or frame element exists")
    text = driver.execute_script("return document.body.textContent")
    for t in job["hostile_text"]:
        if t not in text:
            fail(f"hostile text {t!r} is not shown as text")
    if job.get("sites") is not None:
        cards = driver.find_elements(By.CSS_SELECTOR, "section.site")
        if len(cards) != job["sites"]:
            fail(f"{len(cards)} site cards for {job['sites']} sites")
        for grade in job["grades"]:
            if grade not in [c.find_element(By.CSS_SELECTOR, ".grade").text for c in cards]:
                fail(f"grade {grade} not on a card")
    driver.save_screenshot(job["screenshot"])
    if total == 0:
        return
    # Severity: untick the first severity that has findings.
    sev = findings[0]["severity"]
    box = driver.find_element(By.CSS_SELECTOR, f"input[name=severity][value={sev}]")
    box.click()
    want = sum(1 for f in findings if f["severity"] != sev)
    if len(visible(driver)) != want or shown(driver) != want:
        fail(f"without {sev}: {len(visible(driver))} visible, counter {shown(driver)}, want {want}")
    box.click()
    # Rule: the last rule in the list.
    rule = findings[-1]["rule"]
    Select(driver.find_element(By.NAME, "rule")).select_by_value(rule)
    want = sum(1 for f in findings if f["rule"] == rule)
    if len(visible(driver)) != want or shown(driver) != want:
        fail(f"rule {rule}: {len(visible(driver))} visible, want {want}")
    for el in visible(driver):
        if el.get_attribute("data-rule") != rule:
            fail(f"rule {rule}: a {el.get_attribute('data-rule')} finding is shown")
    Select(driver.find_element(By.NAME, "rule")).select_by_value("")
    # Path: typed, as a person would.
    needle = job["path_needle"]
    field = driver.find_element(By.NAME, "path")
    field.send_keys(needle)
    want = sum(1 for f in findings if needle.lower() in f["place"].lower())
    if len(visible(driver)) != want or shown(driver) != want:
        fail(f"path {needle!r}: {len(visible(driver))} visible, want {want}")
    empty_groups = driver.execute_script(
        "return [...document.querySelectorAll('.group')].filter(g => !g.hidden && "
        "!g.querySelector('.finding:not([hidden])')).length")
    if empty_groups:
        fail(f"{empty_groups} file groups shown without a finding")
    field.send_keys("\n")  # Enter must not submit the form anywhere
    # A path nothing matches: no finding, no file group, no site card; the page says so.
    field.clear()
    field.send_keys("no-such-path-anywhere")
    left = driver.execute_script(
        "return [...document.querySelectorAll('.group, .site, article.finding')]"
        ".filter(e => e.offsetParent !== null).length")
    if left or shown(driver) != 0 or not driver.find_element(By.ID, "none-shown").is_displayed():
        fail(f"nothing matches: {left} groups, cards or findings still shown")
    driver.find_element(By.CSS_SELECTOR, "button[type=reset]").click()
    if len(visible(driver)) != total or shown(driver) != total:
        fail(f"after Show all: {len(visible(driver))} visible, want {total}")
    # The rule link leads to the rule's documentation.
    link = driver.find_element(By.CSS_SELECTOR, "article.finding a[href^='#rule-']")
    target = link.get_attribute("href").split("#", 1)[1]
    link.click()
    doc = driver.find_element(By.ID, target)
    if not doc.is_displayed() or len(doc.text) < 40:
        fail(f"rule link {target}: no documentation shown")
    logs = [e for e in driver.get_log("browser") if e["level"] in ("WARNING", "SEVERE")]
    if logs:
        fail(f"console messages after filtering: {logs[:3]}")
    print(f"  {label}: {total} findings, filters and links work, screenshot {job['screenshot']}")

try:
    for job in jobs["pages"]:
        try:
            check_page(job)
        except UnexpectedAlertPresentException as e:
            problems.append(f"{job['label']}: an alert opened, a hostile value ran: {e.alert_text!r}")
            try:
                driver.switch_to.alert.accept()
            except NoAlertPresentException:
                pass
        except WebDriverException as e:
            problems.append(f"{job['label']}: {e.msg}")
finally:
    driver.quit()
json.dump(problems, sys.stdout)
'''


def page_job(label, html, findings, hostile_text, needle, tmp, **extra):
    name = label.replace(" ", "-")
    path = os.path.join(tmp, name + ".html")
    with open(path, "w", encoding="utf-8") as f:
        f.write(html)
    return dict(label=label, url="file://" + path, findings=findings, hostile_text=hostile_text,
                path_needle=needle, screenshot=os.path.join(SHOTS, name + ".png"), **extra)


def check_job(binary, project, label, hostile_text, needle, tmp):
    html = djguard(binary, "check", project, "--offline", "--format", "html")
    doc = djguard(binary, "check", project, "--offline", "--format", "json")
    if html is None or doc is None:
        return None
    findings = json.loads(doc)["findings"]
    for f in findings:
        f["place"] = f["path"]
    print(f"== {label}: {len(findings)} findings, {len(html) // 1024} KiB of HTML")
    return page_job(label, html, findings, hostile_text, needle, tmp)


def scan_job(binary, tmp):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), formats.HostileSite)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    args = ["scan", url, "--no-legacy-tls", "--no-progress", "--https-port", "1", "--timeout", "5",
            "--site-timeout", "30", "--output", f"json={os.path.join(tmp, 'scan.json')}", "--format", "html"]
    try:
        html = djguard(binary, *args)
    finally:
        server.shutdown()
    if html is None:
        return None
    with open(os.path.join(tmp, "scan.json"), encoding="utf-8") as f:
        report = json.load(f)
    findings = [f for site in report["sites"] for f in site["findings"]]
    for f in findings:
        f["place"] = f["url"]
    grades = [s["grade"] for s in report["sites"] if s.get("grade")]
    print(f"== scan of a loopback site: {len(findings)} findings, grades {grades}")
    return page_job("scan", html, findings, ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"],
                    "127.0.0.1", tmp, sites=len(report["sites"]), grades=grades)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--djguard", default=os.path.join(ROOT, "target", "debug", "djguard"))
    args = ap.parse_args()
    if not os.path.exists(args.djguard):
        print(f"no djguard binary at {args.djguard} (cargo build -p djguard)")
        return 2
    try:
        ensure_browser()
        py = venv_python()
    except (subprocess.CalledProcessError, OSError) as e:
        print(f"cannot install the browser or Selenium: {e}")
        return 2
    os.makedirs(SHOTS, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="djguard-html-")
    try:
        project = os.path.join(tmp, "hostile")
        formats.hostile_project(project)
        jobs = [
            check_job(args.djguard, os.path.join(ROOT, "examples", "mysite"), "check example", [],
                      "views", tmp),
            check_job(args.djguard, project, "check hostile project",
                      ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>.html"], "templates", tmp),
            scan_job(args.djguard, tmp),
        ]
        jobs = [j for j in jobs if j is not None]
        env = dict(os.environ, SE_OFFLINE="true")  # Selenium Manager must not download anything
        p = subprocess.run([py, "-c", BROWSER_CHECK], input=json.dumps(
            {"chromium": CHROMIUM, "driver": DRIVER, "pages": jobs}), capture_output=True, text=True,
            env=env, timeout=300)
        lines = p.stdout.rstrip().splitlines()
        for line in lines[:-1]:
            print(line)
        if p.returncode != 0 or not lines:
            check(False, f"the browser check failed: {p.stderr[-2000:]}")
        else:
            for problem in json.loads(lines[-1]):
                check(False, problem)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("RESULT:", "PASS" if not failures else f"FAIL ({len(failures)})")
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
