/* test_config.c — defaults, the file, environment overrides and their errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "seawall/config.h"

static char path[64];

static int write_file(void **state)
{
    (void)state;
    snprintf(path, sizeof(path), "/tmp/seawall-config-test-%d.conf", (int)getpid());
    return 0;
}

static int remove_file(void **state)
{
    (void)state;
    unlink(path);
    unsetenv("SEAWALL_API_THREADS");
    unsetenv("SEAWALL_REDIS_PORT");
    unsetenv("SEAWALL_CONFIG");
    return 0;
}

static void put(const char *text)
{
    FILE *fp = fopen(path, "w");

    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static void defaults(void **state)
{
    struct sw_config *c;
    char err[256];

    unsetenv("SEAWALL_CONFIG");
    assert_int_equal(sw_config_load(&c, NULL, err, sizeof(err)), SW_OK);
    assert_int_equal(sw_config_int(c, "redis.port"), 6379);
    assert_int_equal(sw_config_int(c, "api.body_max"), 1048576);
    assert_string_equal(sw_config_str(c, "redis.host"), "127.0.0.1");
    sw_config_free(c);
}

static void file_then_environment(void **state)
{
    struct sw_config *c;
    char err[256];

    put("# comment\n\n  redis.port = 7000  \napi.threads=4\nredis.host = redis.internal\n");
    setenv("SEAWALL_API_THREADS", "12", 1);
    assert_int_equal(sw_config_load(&c, path, err, sizeof(err)), SW_OK);
    assert_int_equal(sw_config_int(c, "redis.port"), 7000);
    assert_int_equal(sw_config_int(c, "api.threads"), 12);
    assert_string_equal(sw_config_str(c, "redis.host"), "redis.internal");
    assert_int_equal(sw_config_set(c, "redis.port", "7001", err, sizeof(err)), SW_OK);
    assert_int_equal(sw_config_int(c, "redis.port"), 7001);
    assert_int_equal(sw_config_set(c, "redis.prot", "1", err, sizeof(err)), SW_INVALID);
    sw_config_free(c);
    unsetenv("SEAWALL_API_THREADS");
    /* SEAWALL_CONFIG names the file when no path is given. */
    setenv("SEAWALL_CONFIG", path, 1);
    assert_int_equal(sw_config_load(&c, NULL, err, sizeof(err)), SW_OK);
    assert_int_equal(sw_config_int(c, "api.threads"), 4);
    sw_config_free(c);
    unsetenv("SEAWALL_CONFIG");
}

static void errors_name_file_line_and_key(void **state)
{
    struct sw_config *c = NULL;
    char err[256];

    put("redis.port = 7000\nredis.prot = 1\n");
    assert_int_equal(sw_config_load(&c, path, err, sizeof(err)), SW_INVALID);
    assert_non_null(strstr(err, ":2: unknown key \"redis.prot\""));
    put("redis.port = 70000\n");
    assert_int_equal(sw_config_load(&c, path, err, sizeof(err)), SW_INVALID);
    assert_non_null(strstr(err, "from 1 to 65535"));
    put("just words\n");
    assert_int_equal(sw_config_load(&c, path, err, sizeof(err)), SW_INVALID);
    assert_non_null(strstr(err, "key = value"));
    put("redis.port = 7000\n");
    setenv("SEAWALL_REDIS_PORT", "seven", 1);
    assert_int_equal(sw_config_load(&c, path, err, sizeof(err)), SW_INVALID);
    assert_non_null(strstr(err, "SEAWALL_REDIS_PORT"));
    unsetenv("SEAWALL_REDIS_PORT");
    assert_int_equal(sw_config_load(&c, "/nonexistent/seawall.conf", err, sizeof(err)),
                     SW_INVALID);
    assert_non_null(strstr(err, "No such file"));
    assert_null(c);
}

static void dump_hides_password(void **state)
{
    struct sw_config *c;
    char err[256], buf[8192] = "";
    FILE *fp;
    size_t n;

    setenv("SEAWALL_REDIS_PASSWORD", "hunter2", 1);
    assert_int_equal(sw_config_load(&c, NULL, err, sizeof(err)), SW_OK);
    unsetenv("SEAWALL_REDIS_PASSWORD");
    fp = tmpfile();
    assert_non_null(fp);
    sw_config_dump(c, fp);
    rewind(fp);
    n = fread(buf, 1, sizeof(buf) - 1, fp);
    buf[n] = '\0';
    fclose(fp);
    assert_null(strstr(buf, "hunter2"));
    assert_non_null(strstr(buf, "redis.password = ********"));
    assert_non_null(strstr(buf, "# Redis TCP port (default \"6379\"; environment SEAWALL_REDIS_PORT)"));
    sw_config_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults),
        cmocka_unit_test(file_then_environment),
        cmocka_unit_test(errors_name_file_line_and_key),
        cmocka_unit_test(dump_hides_password),
    };
    return cmocka_run_group_tests_name("config", tests, write_file, remove_file);
}
