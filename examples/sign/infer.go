package main

import (
	"strings"
)

// inferFromHost returns the signing name and region of an AWS host name,
// when the host says them unambiguously:
//
//	<service>.<region>.amazonaws.com[.cn]       sqs.eu-west-1.amazonaws.com
//	<id>.execute-api.<region>.amazonaws.com     API Gateway
//	<id>.lambda-url.<region>.on.aws             Lambda function URLs
//	[<bucket>.]s3[.dualstack].<region>.amazonaws.com, [<bucket>.]s3-<region>.amazonaws.com
//	[<bucket>.]s3.amazonaws.com                 S3 in us-east-1
//	iam, sts, route53, cloudfront .amazonaws.com  global services, signed for us-east-1
//
// The endpoint prefix is the signing name for most services; the few that
// differ and are common are mapped (email -> ses, runtime.sagemaker ->
// sagemaker). Either return value is "" when the host does not say.
func inferFromHost(host string) (service, region string) {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	var rest string
	switch {
	case strings.HasSuffix(host, ".amazonaws.com"):
		rest = strings.TrimSuffix(host, ".amazonaws.com")
	case strings.HasSuffix(host, ".amazonaws.com.cn"):
		rest = strings.TrimSuffix(host, ".amazonaws.com.cn")
	case strings.HasSuffix(host, ".on.aws"):
		labels := strings.Split(strings.TrimSuffix(host, ".on.aws"), ".")
		if n := len(labels); n >= 3 && labels[n-2] == "lambda-url" && isRegion(labels[n-1]) {
			return "lambda", labels[n-1]
		}
		return "", ""
	default:
		return "", ""
	}
	labels := strings.Split(rest, ".")
	n := len(labels)
	last := labels[n-1]

	// S3, whose host names have the most shapes.
	if last == "s3" || last == "s3-external-1" {
		return "s3", "us-east-1"
	}
	if r, ok := strings.CutPrefix(last, "s3-"); ok && isRegion(r) {
		return "s3", r
	}
	if n >= 2 && isRegion(last) {
		svc := labels[n-2]
		if svc == "dualstack" && n >= 3 {
			svc = labels[n-3]
		}
		if svc == "s3-object-lambda" {
			return svc, last
		}
		if svc == "s3" || strings.HasPrefix(svc, "s3-") {
			return "s3", last // s3-control, s3-fips and the like sign as s3
		}
		if svc == "execute-api" || n == 2 || n == 3 && labels[0] == "runtime" {
			return signingName(strings.Join(labels[:n-1], ".")), last
		}
		// <something>.<service>.<region>: a bucket-like or account-like
		// prefix in front of a service other than the ones above is not
		// a shape we know; say nothing rather than guess.
		return "", last
	}
	if n == 1 {
		switch last {
		case "iam", "sts", "route53", "cloudfront":
			return last, "us-east-1"
		}
	}
	return "", ""
}

// signingName maps an endpoint prefix to its signing name where they
// differ.
func signingName(prefix string) string {
	switch prefix {
	case "email":
		return "ses"
	case "runtime.sagemaker":
		return "sagemaker"
	}
	if i := strings.LastIndexByte(prefix, '.'); i >= 0 {
		return prefix[i+1:] // "<id>.execute-api" -> "execute-api"
	}
	return strings.TrimSuffix(prefix, "-fips")
}

// isRegion reports whether s looks like an AWS region name:
// "us-east-1", "eu-central-2", "us-gov-west-1", "cn-north-1".
func isRegion(s string) bool {
	parts := strings.Split(s, "-")
	if len(parts) < 3 || len(parts[0]) != 2 {
		return false
	}
	num := parts[len(parts)-1]
	if num == "" {
		return false
	}
	for i := 0; i < len(num); i++ {
		if num[i] < '0' || num[i] > '9' {
			return false
		}
	}
	for _, p := range parts[:len(parts)-1] {
		if p == "" {
			return false
		}
		for i := 0; i < len(p); i++ {
			if p[i] < 'a' || p[i] > 'z' {
				return false
			}
		}
	}
	return true
}
