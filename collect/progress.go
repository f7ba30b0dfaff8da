package collect

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
)

// armMessage returns the message of an ARM error answer
// ({"error": {"code": ..., "message": ...}}), or "" when it has none.
func armMessage(r *http.Response) string {
	body, err := runtime.Payload(r)
	if err != nil || len(body) == 0 {
		return ""
	}
	var e struct {
		Error struct {
			Message string `json:"message"`
		} `json:"error"`
		Message string `json:"message"`
	}
	if json.Unmarshal(body, &e) != nil {
		return ""
	}
	msg := e.Error.Message
	if msg == "" {
		msg = e.Message
	}
	return strings.Join(strings.Fields(msg), " ")
}

// progress rewrites one status line on a terminal while a run goes on.
type progress struct {
	w    io.Writer
	c    *collector
	mu   sync.Mutex
	what string
	last int
}

func newProgress(w io.Writer, c *collector) *progress { return &progress{w: w, c: c} }

// phase names what the run is doing now.
func (p *progress) phase(what string) {
	p.mu.Lock()
	p.what = what
	p.mu.Unlock()
}

// start draws the line every quarter second until the returned function is
// called, which draws it a last time and ends it with a newline.
func (p *progress) start() (stop func()) {
	if p.w == nil {
		return func() {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				p.draw("")
			}
		}
	})
	return func() {
		close(done)
		wg.Wait()
		p.draw("\n")
	}
}

func (p *progress) draw(end string) {
	res, errs := p.c.counts()
	p.mu.Lock()
	defer p.mu.Unlock()
	line := fmt.Sprintf("vnetpath collect: %s · %d resources · %d requests · %d errors",
		p.what, res, p.c.requests.Load(), errs)
	pad := max(p.last-len(line), 0)
	p.last = len(line)
	fmt.Fprintf(p.w, "\r%s%s%s", line, strings.Repeat(" ", pad), end)
}
