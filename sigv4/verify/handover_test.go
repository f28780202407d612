package verify_test

import (
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"sigv4.dev/sigv4"
	"sigv4.dev/testdata/reference"
)

// What a handler reads of the query after Verify is what was verified
// (issue 11, item 1). Each mutation below keeps the signature valid, since
// SigV4 reads the mutated URL as the signed one, but net/url read it
// differently before Verify handed the verified query over: it dropped the
// pair holding ';' or a bad escape, and returned the first of repeated
// values in arrival order.
func TestHandlerReadsVerifiedQuery(t *testing.T) {
	target := "/report.html?response-content-disposition=attachment%3B%20filename%3D%22r.html%22&k=1&k=2&v=100%25"
	ps := presignS3(t, http.MethodGet, target, vCreds, vTime, time.Hour, nil)
	// The verified pairs, decoded by the reference from the signed URL.
	want := url.Values{}
	_, q, _ := strings.Cut(ps.URL, "?")
	for _, p := range strings.Split(q, "&") {
		k, v, _ := strings.Cut(p, "=")
		if k != "X-Amz-Signature" {
			want[reference.QueryUnescape(k)] = append(want[reference.QueryUnescape(k)], reference.QueryUnescape(v))
		}
	}
	for _, tc := range []struct{ name, from, to string }{
		{"as signed", "", ""},
		{"%3B sent as ';'", "attachment%3B", "attachment;"},
		{"%25 sent as a bare '%'", "v=100%25", "v=100%"},
		{"repeated values reordered", "k=1&k=2", "k=2&k=1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u := ps.URL
			if tc.from != "" {
				if !strings.Contains(u, tc.from) {
					t.Fatalf("test setup: %q not in %s", tc.from, sigv4.RedactURL(u))
				}
				u = strings.Replace(u, tc.from, tc.to, 1)
			}
			ps2 := ps
			ps2.URL = u
			r := fromPresigned(t, ps2, "")
			if _, err := testVerifier().Verify(r); err != nil {
				t.Fatalf("Verify: %v", err)
			}
			got := r.URL.Query()
			delete(got, "X-Amz-Signature")
			if !reflect.DeepEqual(got, want) {
				t.Errorf("the handler reads\n%v\nverified\n%v", got, want)
			}
			if cd := r.FormValue("response-content-disposition"); cd != `attachment; filename="r.html"` {
				t.Errorf("FormValue(response-content-disposition) = %q", cd)
			}
		})
	}
}

// A form body cannot override a signed query value through r.FormValue:
// the body of a request signed with UNSIGNED-PAYLOAD is not covered by the
// signature, and net/http's Form lets body values shadow query values.
func TestFormBodyCannotOverrideSignedQuery(t *testing.T) {
	for _, ct := range []string{"application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=utf-8"} {
		r := signS3(t, http.MethodPost, "/k?action=read", "action=delete", vCreds, vTime, func(r *http.Request) {
			r.Header.Set("Content-Type", ct)
			r.Header.Set("X-Amz-Content-Sha256", sigv4.UnsignedPayload)
		})
		r.Body = nopBody("action=delete")
		if _, err := testVerifier().Verify(r); err != nil {
			t.Fatalf("Verify: %v", err)
		}
		if got := r.FormValue("action"); got != "read" {
			t.Errorf("%s: FormValue(action) = %q, want the signed query's %q", ct, got, "read")
		}
		if err := r.ParseForm(); err != nil || r.PostForm.Get("action") != "delete" {
			t.Errorf("%s: the body is still readable as PostForm: %v %v", ct, r.PostForm, err)
		}
	}
}

func nopBody(s string) *readCloser { return &readCloser{strings.NewReader(s)} }

type readCloser struct{ *strings.Reader }

func (readCloser) Close() error { return nil }

// A form body whose SHA-256 is signed, on a request without a query (an
// STS call), is left to net/http: every value r.FormValue reads is signed.
// With a query, r.Form still comes from the verified query.
func TestSignedFormBodyHandedOver(t *testing.T) {
	const body = "Action=GetCallerIdentity&Version=2011-06-15"
	for _, tc := range []struct {
		query, wantAction string
	}{{"", "GetCallerIdentity"}, {"Action=FromQuery", "FromQuery"}} {
		req, _ := http.NewRequest(http.MethodPost, "https://sts.us-east-1.amazonaws.com/?"+tc.query, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
		if err := sigv4.Sign(req, sigv4.Params{Credentials: vCreds, Region: "us-east-1", Service: "sts", Time: vTime}); err != nil {
			t.Fatal(err)
		}
		r := asServer(req)
		r.Body = nopBody(body)
		v := testVerifier()
		v.Services = []string{"sts"}
		if _, err := v.Verify(r); err != nil {
			t.Fatalf("query %q: Verify: %v", tc.query, err)
		}
		if got := r.FormValue("Action"); got != tc.wantAction {
			t.Errorf("query %q: FormValue(Action) = %q, want %q", tc.query, got, tc.wantAction)
		}
		if err := r.ParseForm(); err != nil || r.PostForm.Get("Version") != "2011-06-15" {
			t.Errorf("query %q: PostForm %v, %v; want the body's values", tc.query, r.PostForm, err)
		}
	}
}
