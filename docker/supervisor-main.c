/*
 * The image's entrypoint, /usr/local/bin/supervisor: QuickJS (the engine and std/os modules of the
 * pinned qjs release) running bundle/supervisor.mjs precompiled to bytecode by that release's qjsc
 * (docker/lib/build-c.sh), so no start parses the bundle again: a restart, and every `health`
 * check, skips ~10 ms of CPU on x86 (far more on a router's CPU).
 *
 * It starts the bundle the way `qjs bundle/supervisor.mjs ARGS` does (what the tests run): the
 * same intrinsics (JS_NewContext) and the std and os modules, the module loader, unhandled promise
 * rejections reported and fatal, scriptArgs = [argv[0], ARGS...], then the event loop. The
 * bytecode keeps its debug information (line and column numbers in stack traces).
 */
#include <stdio.h>
#include <stdlib.h>
#include "quickjs-libc.h"

/* Written by `qjsc -c -m -N supervisor_bytecode` from the bundle. */
extern const uint32_t supervisor_bytecode_size;
extern const uint8_t supervisor_bytecode[];

static JSContext *new_context(JSRuntime *rt)
{
    JSContext *ctx = JS_NewContext(rt);
    if (ctx == NULL)
        return NULL;
    js_init_module_std(ctx, "std");
    js_init_module_os(ctx, "os");
    return ctx;
}

int main(int argc, char **argv)
{
    JSRuntime *rt = JS_NewRuntime();
    if (rt == NULL) {
        fputs("supervisor: cannot allocate the JavaScript runtime\n", stderr);
        return 2;
    }
    js_std_set_worker_new_context_func(new_context);
    js_std_init_handlers(rt);
    JSContext *ctx = new_context(rt);
    if (ctx == NULL) {
        fputs("supervisor: cannot allocate the JavaScript context\n", stderr);
        return 2;
    }
    JS_SetModuleLoaderFunc(rt, NULL, js_module_loader, NULL);
    JS_SetHostPromiseRejectionTracker(rt, js_std_promise_rejection_tracker, NULL);
    js_std_add_helpers(ctx, argc, argv);
    /* Runs the module (and awaits it); on an exception it prints it and exits 1, as qjs does. */
    js_std_eval_binary(ctx, supervisor_bytecode, supervisor_bytecode_size, 0);
    js_std_loop(ctx);
    js_std_free_handlers(rt);
    JS_FreeContext(ctx);
    JS_FreeRuntime(rt);
    return 0;
}
