package credentials

import "testing"

func BenchmarkParseSTSResponse(b *testing.B) {
	body := []byte(assumeRoleXML)
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, re := parseSTSResponse("AssumeRole", 200, body); re != nil {
			b.Fatal(re)
		}
	}
}

func BenchmarkParseIMDSDocument(b *testing.B) {
	doc := []byte(`{"Code":"Success","AccessKeyId":"ASIARTEST","SecretAccessKey":"testsecret","Token":"testtoken","Expiration":"2021-09-21T04:16:53Z"}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parseIMDSDocument("http://169.254.169.254", doc, "r"); err != nil {
			b.Fatal(err)
		}
	}
}
