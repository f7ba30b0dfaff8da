package collect

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
)

type tokenCredential struct{}

func (tokenCredential) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{Token: "t", ExpiresOn: time.Now().Add(time.Hour)}, nil
}

type countingTransport struct{ methods []string }

func (c *countingTransport) Do(req *http.Request) (*http.Response, error) {
	c.methods = append(c.methods, req.Method)
	return &http.Response{StatusCode: http.StatusOK, Header: http.Header{}, Body: http.NoBody, Request: req}, nil
}

// TestPipelineRefusesWrites sends every method through the pipeline Run
// builds: only GET reaches the transport; the others fail with
// ErrNotReadOnly at once, without a retry.
func TestPipelineRefusesWrites(t *testing.T) {
	tr := &countingTransport{}
	sent := 0
	opts := pipelineOptions(&arm.ClientOptions{ClientOptions: policy.ClientOptions{Transport: tr}}, func() { sent++ })
	if !opts.DisableRPRegistration {
		t.Error("resource provider registration (a POST) is not disabled")
	}
	c, err := arm.NewClient("test", "v1.0.0", tokenCredential{}, &opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodHead} {
		t.Run(m, func(t *testing.T) {
			before := len(tr.methods)
			req, err := runtime.NewRequest(context.Background(), m, c.Endpoint()+"/subscriptions/x/providers/Microsoft.Network/virtualNetworks")
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Pipeline().Do(req)
			reached := len(tr.methods) - before
			if m == http.MethodGet {
				if err != nil || reached != 1 {
					t.Errorf("GET: err %v, reached the transport %d times", err, reached)
				}
				return
			}
			if !errors.Is(err, ErrNotReadOnly) || reached != 0 || !strings.Contains(err.Error(), m+" /subscriptions/x/") {
				t.Errorf("%s: err %v, reached the transport %d times", m, err, reached)
			}
		})
	}
	if sent != 6 {
		t.Errorf("count policy saw %d requests, want 6 (one try each)", sent)
	}
}
