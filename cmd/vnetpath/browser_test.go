package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

var screenshot = flag.Bool("screenshot", false, "write the browser's screenshot of the example estate's HTML report to examples/contoso/report.png (review it by eye before committing)")

// chromium finds a Chromium or Chrome binary: $VNETPATH_CHROMIUM, else
// the first of the usual names on PATH.
func chromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("VNETPATH_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless_shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no Chromium found (chromium, chromium-browser, google-chrome or $VNETPATH_CHROMIUM): .ci/run installs Debian's chromium; the browser tests are skipped")
	return ""
}

// browser starts headless Chromium with a fresh profile, and returns its
// context and the URLs of the requests it made that were not for local
// files or inline data.
func browser(t *testing.T) (context.Context, func() []string) {
	t.Helper()
	bin := chromium(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("hide-scrollbars", true), chromedp.UserDataDir(t.TempDir()),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	var (
		mu      sync.Mutex
		remotes []string
	)
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithListener(func(ev any) {
		if r, ok := ev.(*network.EventRequestWillBeSent); ok && r.Request != nil {
			u := r.Request.URL
			if !strings.HasPrefix(u, "file:") && !strings.HasPrefix(u, "data:") && !strings.HasPrefix(u, "about:") {
				mu.Lock()
				remotes = append(remotes, u)
				mu.Unlock()
			}
		}
	}))
	// Start the browser, with a deadline for the start only.
	start := make(chan error, 1)
	go func() { start <- chromedp.Do(ctx, chromedp.Navigate("about:blank")) }()
	select {
	case err := <-start:
		if err != nil {
			cancel()
			cancelAlloc()
			t.Fatalf("starting %s: %v", bin, err)
		}
	case <-time.After(60 * time.Second):
		cancel()
		cancelAlloc()
		t.Fatalf("%s did not start within a minute", bin)
	}
	t.Cleanup(func() { cancel(); cancelAlloc() })
	return ctx, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), remotes...)
	}
}

// TestHTMLReportInBrowser loads the example estate's HTML report in
// headless Chromium and checks what a reader sees: the matrix with a row
// per workload subnet and failed cells that link to their answers, a
// failed answer's path drawn as SVG with the red hop and the blocker on
// its edge, the fix and its az command, the load summary; and that the
// page asked for nothing beyond itself. It takes a screenshot; with
// -screenshot it writes it to examples/contoso/report.png:
//
//	go test ./cmd/vnetpath -run HTMLReportInBrowser -screenshot
func TestHTMLReportInBrowser(t *testing.T) {
	ctx, remotes := browser(t)
	code, page, errs := runCLI("check", "--snapshot", contoso, "--format", "html")
	if code != 1 || !strings.HasPrefix(page, "<!DOCTYPE html>") {
		t.Fatalf("check --format html: exit %d, want 1 (the example has faults); stderr %q", code, errs)
	}
	file := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(file, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 1500), chromedp.Navigate("file://"+file)); err != nil {
		t.Fatal(err)
	}
	type dom struct {
		Title      string   `json:"title"`
		Rows       []string `json:"rows"`
		Cols       int      `json:"cols"`
		FailCells  int      `json:"failCells"`
		FailLinks  []string `json:"failLinks"`
		Answers    int      `json:"answers"`
		BypassSVG  bool     `json:"bypassSVG"`
		RedNodes   int      `json:"redNodes"`
		Blocker    string   `json:"blocker"`
		Fix        string   `json:"fix"`
		Az         string   `json:"az"`
		Snapshot   string   `json:"snapshot"`
		Warnings   int      `json:"warnings"`
		SVGWidth   float64  `json:"svgWidth"`
		LinkTarget bool     `json:"linkTarget"`
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[dom](`(() => {
	  const q = (s, e = document) => e.querySelector(s), qa = (s, e = document) => [...e.querySelectorAll(s)];
	  const bypass = q('article.answer[data-verdict="private-endpoint-bypassed"]');
	  const svg = bypass && q('svg.path', bypass);
	  const link = q('table.matrix td.fail a');
	  return {
	    title: document.title,
	    rows: qa('table.matrix tbody tr').map(r => r.dataset.source),
	    cols: qa('table.matrix thead th').length - 1,
	    failCells: qa('table.matrix td.fail').length,
	    failLinks: qa('table.matrix td.fail a').map(a => a.getAttribute('href')),
	    answers: qa('article.answer.fail').length,
	    bypassSVG: !!svg && svg.getBoundingClientRect().width > 300 && svg.getBoundingClientRect().height > 200,
	    redNodes: svg ? qa('g.node.blocked', svg).length : 0,
	    blocker: svg ? qa('text.elabel.blocked', svg).map(t => t.textContent).join(' ') : '',
	    fix: bypass ? q('.fix p', bypass).textContent : '',
	    az: bypass ? q('.fix .az code', bypass).textContent : '',
	    snapshot: q('#snapshot').textContent,
	    warnings: qa('ul.warnings li').length,
	    svgWidth: svg ? svg.getBoundingClientRect().width : 0,
	    linkTarget: !!link && !!document.getElementById(link.getAttribute('href').slice(1)),
	  };
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	// A column per distinct check: the profile's endpoints, which differ a
	// little between sources (storage over SMB only behind a firewall).
	var rep cliResult
	runJSON(t, &rep, "check", "--snapshot", contoso, "-o", "json")
	endpoints := map[string]bool{}
	for _, r := range rep.Results {
		endpoints[fmt.Sprint(r.Destination, r.FQDN, r.Protocol, r.Port)] = true
	}
	want := []string{"vnet-hub/snet-shared", "vnet-spoke-app/snet-web", "vnet-spoke-data/snet-batch", "vnet-spoke-ml/snet-train"}
	if strings.Join(got.Rows, ",") != strings.Join(want, ",") || got.Cols != len(endpoints) {
		t.Errorf("matrix rows %q and %d columns; want %q and %d endpoints", got.Rows, got.Cols, want, len(endpoints))
	}
	if got.FailCells == 0 || got.FailCells != got.Answers || len(got.FailLinks) != got.FailCells || !got.LinkTarget {
		t.Errorf("%d failed cells, %d links, %d failed answers, link target found %v; want a linked cell per failed answer",
			got.FailCells, len(got.FailLinks), got.Answers, got.LinkTarget)
	}
	if !got.BypassSVG || got.RedNodes != 1 || !strings.Contains(got.Blocker, "bypassing private endpoint pe-mlw-contoso of workspace mlw-contoso") {
		t.Errorf("the bypassed answer's path: drawn %v (%.0f px wide), %d red hops, blocker %q", got.BypassSVG, got.SVGWidth, got.RedNodes, got.Blocker)
	}
	if !strings.HasPrefix(got.Fix, "link private DNS zone privatelink.") || !strings.HasPrefix(got.Az, "az network private-dns link vnet create") {
		t.Errorf("fix %q, az %q", got.Fix, got.Az)
	}
	if !strings.Contains(got.Snapshot, "56 resources") || got.Warnings == 0 {
		t.Errorf("load summary %q, %d warnings", got.Snapshot, got.Warnings)
	}
	if r := remotes(); len(r) > 0 {
		t.Errorf("the report fetched %q; it must load nothing", r)
	}
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil || len(png) < 1000 || string(png[1:4]) != "PNG" {
		t.Fatalf("screenshot: %d bytes, %v", len(png), err)
	}
	if *screenshot {
		out := filepath.Join(contoso, "report.png")
		if err := os.WriteFile(out, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s (%d bytes): review it by eye", out, len(png))
	}
}

// mermaidJS finds mermaid.min.js, the parser .ci/run fetches:
// $VNETPATH_MERMAID_JS, else .ci/deps/mermaid-*/mermaid.min.js.
func mermaidJS(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("VNETPATH_MERMAID_JS"); p != "" {
		return p
	}
	if m, _ := filepath.Glob(filepath.Join("..", "..", ".ci", "deps", "mermaid-*", "mermaid.min.js")); len(m) > 0 {
		p, err := filepath.Abs(m[len(m)-1])
		if err == nil {
			return p
		}
	}
	t.Skip("mermaid.min.js not found ($VNETPATH_MERMAID_JS or .ci/deps/mermaid-*/): .ci/run fetches it with npm; the Mermaid parser test is skipped")
	return ""
}

// TestMermaidParses runs Mermaid's own parser, in headless Chromium, on
// every Mermaid drawing vnetpath makes of the example estates and of the
// scenarios of ../shared: each check's paths and each estate.
func TestMermaidParses(t *testing.T) {
	js := mermaidJS(t)
	ctx, _ := browser(t)
	page := filepath.Join(t.TempDir(), "parse.html")
	html := `<!DOCTYPE html><html><head><meta charset="utf-8"><script src="file://` + js + `"></script></head><body></body></html>`
	if err := os.WriteFile(page, []byte(html), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate("file://"+page)); err != nil {
		t.Fatal(err)
	}
	version, err := chromedp.Run(ctx, chromedp.Evaluate[string](`typeof mermaid === "object" ? "loaded" : "missing"`))
	if err != nil || version != "loaded" {
		t.Fatalf("mermaid did not load from %s: %q %v", js, version, err)
	}
	n := 0
	// The first is a control: mermaid must reject it, or the test could
	// not fail.
	control := drawing{"control: an unclosed label", "flowchart LR\n  a[\"unclosed] --> b\n"}
	for i, d := range append([]drawing{control}, drawings(t, "mermaid")...) {
		src, err := json.Marshal(d.text)
		if err != nil {
			t.Fatal(err)
		}
		// mermaid.parse rejects what mermaid cannot draw; the answer is the
		// diagram type, or the parser's message.
		res, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(
			`mermaid.parse(%s).then(r => "ok " + r.diagramType, e => "error: " + (e && e.message || String(e)))`, src), chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("%s: %v", d.name, err)
		}
		if i == 0 {
			if !strings.HasPrefix(res, "error: ") {
				t.Errorf("%s: mermaid accepted %q: %s", d.name, d.text, res)
			}
			continue
		}
		if res != "ok flowchart-v2" && res != "ok flowchart" {
			t.Errorf("%s: mermaid: %s\n%s", d.name, res, d.text)
		}
		n++
	}
	t.Logf("mermaid parsed %d drawings", n)
}
