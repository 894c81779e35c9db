/* test_router.c — path patterns, query decoding and the route table itself. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../fcgi/api.h"

static void match_literal_and_params(void **state)
{
    struct sw_req req;
    struct sw_ctx c = { .req = &req };

    memset(&req, 0, sizeof(req));
    assert_true(sw_route_match("/api/v1/me", "/api/v1/me", &req));
    assert_false(sw_route_match("/api/v1/me", "/api/v1/me/", &req));
    assert_false(sw_route_match("/api/v1/me", "/api/v1/m", &req));
    assert_true(sw_route_match("/api/v1/centres/{id}/staff/{staff_id}",
                               "/api/v1/centres/12/staff/7", &req));
    assert_int_equal(req.nparams, 2);
    assert_string_equal(sw_param(&c, "id"), "12");
    assert_string_equal(sw_param(&c, "staff_id"), "7");
    assert_null(sw_param(&c, "staff"));
    sw_req_free(&req);
    /* A parameter never spans a slash and is never empty. */
    assert_false(sw_route_match("/api/v1/centres/{id}", "/api/v1/centres/1/2", &req));
    assert_false(sw_route_match("/api/v1/centres/{id}", "/api/v1/centres/", &req));
    assert_int_equal(req.nparams, 0);
}

static void match_refuses_overlong_parameter(void **state)
{
    struct sw_req req;
    char path[600];

    memset(&req, 0, sizeof(req));
    memcpy(path, "/a/", 3);
    memset(path + 3, 'x', 300);
    path[303] = '\0';
    assert_false(sw_route_match("/a/{id}", path, &req));
}

static void match_refuses_parameter_that_is_not_utf8(void **state)
{
    struct sw_req req;

    memset(&req, 0, sizeof(req));
    assert_false(sw_route_match("/a/{id}", "/a/\xff", &req));
    assert_int_equal(req.nparams, 0);
    assert_false(sw_route_match("/a/{id}/b/{x}", "/a/1/b/\xc0\x80", &req));
    assert_int_equal(req.nparams, 0);
    assert_true(sw_route_match("/a/{id}", "/a/\xe6\x89\x8b", &req));
    sw_req_free(&req);
}

static void query_name_that_is_not_utf8(void **state)
{
    struct sw_req req;
    struct sw_ctx c = { .req = &req };
    char err[128];

    memset(&req, 0, sizeof(req));
    assert_int_equal(sw_query_parse("limit=1&a%ffb=1", &req, err, sizeof(err)), SW_INVALID);
    assert_string_equal(err, "unknown query parameter \"a\\xFFb\": not UTF-8");
    sw_req_free(&req);
    /* A value may hold any bytes but NUL: the handler judges it. */
    assert_int_equal(sw_query_parse("a=%ff", &req, err, sizeof(err)), SW_OK);
    assert_string_equal(sw_query(&c, "a"), "\xff");
    sw_req_free(&req);
}

static void query_decoding(void **state)
{
    struct sw_req req;
    struct sw_ctx c = { .req = &req };
    char err[128];

    memset(&req, 0, sizeof(req));
    assert_int_equal(sw_query_parse("limit=5&cursor=a%20b&q=x+y&flag&&", &req, err,
                                    sizeof(err)), SW_OK);
    assert_string_equal(sw_query(&c, "limit"), "5");
    assert_string_equal(sw_query(&c, "cursor"), "a b");
    assert_string_equal(sw_query(&c, "q"), "x y");
    assert_string_equal(sw_query(&c, "flag"), "");
    assert_null(sw_query(&c, "nope"));
    sw_req_free(&req);
    assert_int_equal(sw_query_parse("a=1&a=2", &req, err, sizeof(err)), SW_INVALID);
    assert_non_null(strstr(err, "twice"));
    sw_req_free(&req);
    assert_int_equal(sw_query_parse("a=%4", &req, err, sizeof(err)), SW_INVALID);
    sw_req_free(&req);
    assert_int_equal(sw_query_parse("a=%00", &req, err, sizeof(err)), SW_INVALID);
    sw_req_free(&req);
    assert_int_equal(sw_query_parse("a=%zz", &req, err, sizeof(err)), SW_INVALID);
    sw_req_free(&req);
    assert_int_equal(sw_query_parse("a=%41", &req, err, sizeof(err)), SW_OK);
    assert_string_equal(sw_query(&c, "a"), "A");
    sw_req_free(&req);
}

static void query_too_many_parameters(void **state)
{
    struct sw_req req;
    char qs[512] = "", err[128];
    size_t used = 0;
    int i;

    memset(&req, 0, sizeof(req));
    for (i = 0; i <= SW_MAX_QUERY; i++)
        used += (size_t)snprintf(qs + used, sizeof(qs) - used, "p%d=1&", i);
    assert_int_equal(sw_query_parse(qs, &req, err, sizeof(err)), SW_INVALID);
    sw_req_free(&req);
}

/* No two routes share method and pattern, and each pattern is well formed. */
static void route_table_is_consistent(void **state)
{
    size_t i, j;

    assert_true(sw_nroutes > 0);
    for (i = 0; i < sw_nroutes; i++) {
        const char *p = sw_routes[i].pattern;
        int depth = 0;

        assert_true(p[0] == '/');
        for (; *p != '\0'; p++) {
            if (*p == '{')
                depth++;
            else if (*p == '}')
                depth--;
            assert_true(depth == 0 || depth == 1);
        }
        assert_int_equal(depth, 0);
        assert_non_null(sw_routes[i].handler);
        if (strcmp(sw_routes[i].method, "PATCH") == 0)
            assert_true(sw_routes[i].flags & SW_RT_BODY);
        for (j = i + 1; j < sw_nroutes; j++)
            assert_false(strcmp(sw_routes[i].method, sw_routes[j].method) == 0 &&
                         strcmp(sw_routes[i].pattern, sw_routes[j].pattern) == 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(match_literal_and_params),
        cmocka_unit_test(match_refuses_overlong_parameter),
        cmocka_unit_test(match_refuses_parameter_that_is_not_utf8),
        cmocka_unit_test(query_name_that_is_not_utf8),
        cmocka_unit_test(query_decoding),
        cmocka_unit_test(query_too_many_parameters),
        cmocka_unit_test(route_table_is_consistent),
    };
    return cmocka_run_group_tests_name("router", tests, NULL, NULL);
}
