package collect

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
)

// ErrNotReadOnly is the error (wrapped) of a request that is not a GET: the
// pipeline of every client collect builds refuses it before it is sent.
var ErrNotReadOnly = errors.New("refused: vnetpath collect sends only GET requests")

// readOnlyPolicy refuses every request whose method is not GET. It runs on
// every try, just before the transport, so nothing else can reach Azure.
// No list operation collect uses is a POST, so none is allowed.
type readOnlyPolicy struct{}

func (readOnlyPolicy) Do(req *policy.Request) (*http.Response, error) {
	if m := req.Raw().Method; m != http.MethodGet {
		return nil, refusedError{method: m, path: req.Raw().URL.Path}
	}
	return req.Next()
}

// refusedError is the error of a refused request; the retry policy does
// not retry it.
type refusedError struct{ method, path string }

func (e refusedError) Error() string {
	return fmt.Sprintf("%s %s: %v", e.method, e.path, ErrNotReadOnly)
}
func (e refusedError) Unwrap() error { return ErrNotReadOnly }
func (refusedError) NonRetriable()   {}

// countPolicy calls count once per request sent (each try).
type countPolicy struct{ count func() }

func (p countPolicy) Do(req *policy.Request) (*http.Response, error) {
	p.count()
	return req.Next()
}

// restClient reads the types whose SDK modules vnetpath does not use (DNS
// Private Resolver, Azure ML workspaces) with the ARM pipeline of azcore:
// the same credential, retry policy and read-only policy as the SDK clients.
type restClient struct {
	c    *arm.Client
	host string
}

func newRESTClient(cred azcore.TokenCredential, opts *arm.ClientOptions) (*restClient, error) {
	c, err := arm.NewClient("vnetpath/collect", "v1.0.0", cred, opts)
	if err != nil {
		return nil, err
	}
	u, err := url.Parse(c.Endpoint())
	if err != nil {
		return nil, err
	}
	return &restClient{c: c, host: u.Host}, nil
}

// get reads one resource by ARM path and returns its JSON.
func (r *restClient) get(ctx context.Context, path, apiVersion string) (json.RawMessage, error) {
	req, err := runtime.NewRequest(ctx, http.MethodGet, runtime.JoinPaths(r.c.Endpoint(), path))
	if err != nil {
		return nil, err
	}
	q := req.Raw().URL.Query()
	q.Set("api-version", apiVersion)
	req.Raw().URL.RawQuery = q.Encode()
	return r.do(req)
}

func (r *restClient) do(req *policy.Request) (json.RawMessage, error) {
	req.Raw().Header.Set("Accept", "application/json")
	resp, err := r.c.Pipeline().Do(req)
	if err != nil {
		return nil, err
	}
	if !runtime.HasStatusCode(resp, http.StatusOK) {
		return nil, runtime.NewResponseError(resp)
	}
	body, err := runtime.Payload(resp)
	if err != nil {
		return nil, err
	}
	return json.RawMessage(body), nil
}

// next reads a nextLink: a full URL that must be on the ARM endpoint.
func (r *restClient) next(ctx context.Context, link string) (json.RawMessage, error) {
	u, err := url.Parse(link)
	if err != nil || !strings.EqualFold(u.Host, r.host) || u.Scheme != "https" {
		return nil, fmt.Errorf("nextLink %q is not on %s; not followed", link, r.host)
	}
	req, err := runtime.NewRequest(ctx, http.MethodGet, link)
	if err != nil {
		return nil, err
	}
	return r.do(req)
}

// list reads an ARM list ({"value": [...], "nextLink": ...}) at path and
// follows nextLink to the last page. A nextLink to another host is an
// error: the credential's token is sent only to the ARM endpoint.
func (r *restClient) list(path, apiVersion string) listFunc {
	return func(ctx context.Context, emit emitFunc) error {
		req, err := runtime.NewRequest(ctx, http.MethodGet, runtime.JoinPaths(r.c.Endpoint(), path))
		if err != nil {
			return err
		}
		q := req.Raw().URL.Query()
		q.Set("api-version", apiVersion)
		req.Raw().URL.RawQuery = q.Encode()
		for {
			body, err := r.do(req)
			if err != nil {
				return err
			}
			var page struct {
				Value    []json.RawMessage `json:"value"`
				NextLink string            `json:"nextLink"`
			}
			if err := json.Unmarshal(body, &page); err != nil {
				return fmt.Errorf("GET %s: the answer is not an ARM list: %w", path, err)
			}
			for _, v := range page.Value {
				emit(v)
			}
			if page.NextLink == "" {
				return nil
			}
			u, err := url.Parse(page.NextLink)
			if err != nil || !strings.EqualFold(u.Host, r.host) || u.Scheme != "https" {
				return fmt.Errorf("GET %s: nextLink %q is not on %s; not followed", path, page.NextLink, r.host)
			}
			if req, err = runtime.NewRequest(ctx, http.MethodGet, page.NextLink); err != nil {
				return err
			}
		}
	}
}
