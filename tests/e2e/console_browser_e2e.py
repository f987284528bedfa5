"""The web console in headless Chromium (python3-selenium + chromium-driver): start a job from the
form (a scenario from --scenario-dir, a bad value refused at its field first), watch the charts and
the endpoint table update from the event stream, change the users, stop, download the CSV and
HTML reports, and see the job in the list; screenshots at 1280 px and phone width are written
as test artifacts. Prints PASSED or FAILED."""

import argparse
import glob
import json
import os
import shutil
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402

SCENARIO = """name: console-demo
base_url: http://127.0.0.1:1
user_classes:
  - name: visitor
    wait: {constant: 50ms}
    tasks:
      - {name: list, weight: 2, steps: [{request: {name: list items, path: /items/}}]}
      - name: create
        steps:
          - request: {name: create item, method: POST, path: /items/, json: {title: ui},
                      expect: {status: [201]}}
load: {closed: {users: 1}, unbounded: true}
"""


def api(base, path):
    with urllib.request.urlopen(base + path, timeout=5) as response:
        return json.loads(response.read().decode())


def browser(download_dir):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--window-size=1280,1100", "--no-first-run", "--disable-extensions"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"download.default_directory": download_dir,
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.execute_cdp_cmd("Page.setDownloadBehavior",
                           {"behavior": "allow", "downloadPath": download_dir})
    driver.set_page_load_timeout(20)
    return driver


def text_of(driver, element_id):
    return driver.find_element(By.ID, element_id).text


def attribute(driver, element_id, name):
    return driver.find_element(By.ID, element_id).get_attribute(name) or ""


def run(driver, base, backend, artifacts, downloads):
    failures = []
    driver.get(base + "/#/new")
    harness.wait_for("the library to list the scenario",
                     lambda: "console-demo.yaml" in driver.page_source, timeout=15, period=0.2)
    Select(driver.find_element(By.ID, "scenario-library")).select_by_value("console-demo.yaml")
    harness.wait_for("the scenario text", lambda: "console-demo" in driver.find_element(
        By.ID, "scenario-text").get_attribute("value"), timeout=10, period=0.2)

    # A bad value is refused at its field, nothing starts.
    driver.find_element(By.ID, "users").send_keys("abc")
    driver.find_element(By.ID, "host").send_keys(backend)
    driver.find_element(By.ID, "start-button").click()
    users_error = harness.wait_for("the error at the users field", lambda: driver.find_element(
        By.CSS_SELECTOR, '.error[data-for="users"]').text, timeout=10, period=0.2)
    if "whole number" not in users_error:
        failures.append("users error: " + users_error)
    if api(base, "/api/v1/jobs")["jobs"]:
        failures.append("a job was created from a refused form")

    driver.find_element(By.ID, "users").clear()
    driver.find_element(By.ID, "users").send_keys("2")
    driver.find_element(By.ID, "spawn_rate").send_keys("20")
    driver.find_element(By.ID, "start-button").click()
    harness.wait_for("the job page", lambda: "#/job/" in driver.current_url, timeout=10,
                     period=0.2)
    job_id = driver.current_url.split("#/job/")[1]

    # Charts and table update from the event stream (one snapshot a second).
    harness.wait_for("the charts to have points",
                     lambda: int(attribute(driver, "chart-rps", "data-points") or 0) >= 3,
                     timeout=20, period=0.3)
    points = int(attribute(driver, "chart-rps", "data-points"))
    updates = int(attribute(driver, "endpoint-table", "data-updates"))
    harness.wait_for("more chart points", lambda: int(
        attribute(driver, "chart-rps", "data-points")) > points, timeout=10, period=0.3)
    harness.wait_for("more table updates", lambda: int(
        attribute(driver, "endpoint-table", "data-updates")) > updates, timeout=10, period=0.3)
    for chart in ("chart-rps", "chart-failures", "chart-latency", "chart-users"):
        if not driver.find_elements(By.CSS_SELECTOR, "#" + chart + " canvas"):
            failures.append(chart + " has no canvas")
    table = text_of(driver, "endpoint-table")
    for name in ("list items", "create item", "Aggregated"):
        if name not in table:
            failures.append("table lacks " + name + ": " + table)

    # A closed model is steered by users; the rate control is for open models.
    if driver.find_element(By.ID, "rate-form").is_displayed():
        failures.append("the rate control is shown for a closed-model job")
    # Change the users.
    driver.find_element(By.ID, "job-users").send_keys("4")
    driver.find_element(By.ID, "users-apply").click()
    harness.wait_for("4 active users", lambda: api(
        base, "/api/v1/jobs/" + job_id)["totals"]["active_users"] == 4, timeout=15, period=0.3)
    harness.wait_for("the users chart and line to show 4",
                     lambda: "users 4/4" in text_of(driver, "stats-line"), timeout=10,
                     period=0.3)
    driver.save_screenshot(os.path.join(artifacts, "console-job.png"))
    driver.set_window_size(390, 900)
    time.sleep(0.5)  # let the charts re-lay out before the picture (no state is waited for)
    overflow = driver.execute_script(
        "return document.documentElement.scrollWidth - window.innerWidth")
    if overflow > 1:
        failures.append(f"the page is {overflow} px wider than a phone screen")
    driver.save_screenshot(os.path.join(artifacts, "console-phone.png"))
    driver.set_window_size(1280, 1100)

    # Stop, then download the reports.
    driver.find_element(By.ID, "stop-button").click()
    harness.wait_for("STOPPED", lambda: text_of(driver, "job-state") == "STOPPED", timeout=20,
                     period=0.3)
    driver.find_element(By.ID, "download-csv").click()
    driver.find_element(By.ID, "download-html").click()
    csv_file = harness.wait_for("the CSV download", lambda: [
        f for f in glob.glob(os.path.join(downloads, "*.csv"))], timeout=15, period=0.3)[0]
    with open(csv_file) as f:
        csv = f.read()
    if "list items" not in csv or "Aggregated" not in csv:
        failures.append("downloaded CSV: " + csv[:300])
    harness.wait_for("the HTML download",
                     lambda: glob.glob(os.path.join(downloads, "*.html")), timeout=15, period=0.3)

    driver.get(base + "/#/jobs")
    harness.wait_for("the job in the list", lambda: "STOPPED" in text_of(driver, "jobs-table"),
                     timeout=10, period=0.3)
    if "console-demo" not in text_of(driver, "jobs-table"):
        failures.append("jobs list: " + text_of(driver, "jobs-table"))
    driver.save_screenshot(os.path.join(artifacts, "console-jobs.png"))
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    for flag in ("--throngd", "--throngctl", "--backend", "--source-dir", "--artifacts"):
        parser.add_argument(flag, required=True)
    args = parser.parse_args()
    os.makedirs(args.artifacts, exist_ok=True)
    work = tempfile.mkdtemp(prefix="throng-console-")
    library = os.path.join(work, "library")
    downloads = os.path.join(work, "downloads")
    os.makedirs(library)
    os.makedirs(downloads)
    with open(os.path.join(library, "console-demo.yaml"), "w") as f:
        f.write(SCENARIO)
    processes = harness.Processes(work)
    failures = []
    driver = None
    try:
        backend = "http://" + harness.start_backend(processes, args.backend)
        processes.start("throngd", [args.throngd, "--grpc-listen", "127.0.0.1:0",
                                    "--metrics-listen", "127.0.0.1:0", "--scenario-dir", library,
                                    "--data-dir", os.path.join(work, "data"), "--threads", "1"])
        base = processes.wait_line("throngd", r"^console at (http://\S+)/").group(1)
        driver = browser(downloads)
        failures = run(driver, base, backend, args.artifacts, downloads)
    except Exception as e:  # a failed wait, a browser error: reported, never hidden
        failures.append(repr(e))
        if driver is not None:
            driver.save_screenshot(os.path.join(args.artifacts, "console-failure.png"))
    finally:
        if driver is not None:
            driver.quit()
        processes.close()
        shutil.rmtree(work, ignore_errors=True)
    if failures:
        print("FAILED:\n" + "\n".join(failures))
        return 1
    print("PASSED (screenshots in " + args.artifacts + ")")
    return 0


if __name__ == "__main__":
    sys.exit(main())
