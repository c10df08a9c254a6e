/* SPDX-License-Identifier: GPL-3.0-or-later (plugins/orthanc/LICENSE) */
/* Entry points of libcsfleak-orthanc.so. Orthanc's callbacks carry no user
 * pointer, so the one plugin instance lives in a file-static variable. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plugin.h"

static csfo_plugin plugin;

/* Runs on Orthanc's single change thread: only queue, never call the REST
 * API here (deadlock risk, and it would stall every other change). */
static OrthancPluginErrorCode on_change(OrthancPluginChangeType type,
                                        OrthancPluginResourceType rtype, const char *id)
{
    csfo_plugin *p = &plugin;
    if (type == OrthancPluginChangeType_OrthancStarted) {
        csfo_queue_push(&p->queue, "", 0); /* the start-up scan: events lost while stopped */
        if (!p->worker_started && pthread_create(&p->worker, NULL, csfo_worker_main, p) == 0)
            p->worker_started = 1;
        else if (!p->worker_started)
            csfo_log(p, 2, "cannot start the worker thread: nothing will be analysed");
    } else if (type == OrthancPluginChangeType_OrthancStopped) {
        csfo_queue_stop(&p->queue);
    } else if (type == OrthancPluginChangeType_StableSeries &&
               rtype == OrthancPluginResourceType_Series && id != NULL && p->cfg.enabled) {
        if (csfo_queue_push(&p->queue, id, 0) != 0)
            csfo_log(p, 2, "out of memory: series %s not queued", id);
    }
    return OrthancPluginErrorCode_Success;
}

ORTHANC_PLUGINS_API int32_t OrthancPluginInitialize(OrthancPluginContext *ctx)
{
    csfo_plugin *p = &plugin;
    memset(p, 0, sizeof *p);
    p->ctx = ctx;
    if (!OrthancPluginCheckVersion(ctx)) {
        OrthancPluginLogError(ctx, CSFO_NAME ": this Orthanc is older than the plugin SDK "
                                   "(1.10.1): not loaded");
        return -1;
    }
    char *conf = OrthancPluginGetConfiguration(ctx);
    csf_error err = {0};
    csf_status st = csfo_config_parse(conf, &p->cfg, &err);
    if (conf)
        OrthancPluginFreeString(ctx, conf);
    if (st != CSF_OK) {
        /* never take the archive down for our own section: load with the
         * defaults, disabled, and show the reason in the log and the status */
        csfo_log(p, 2, "bad configuration: %s; automatic analysis is disabled", err.msg);
        csfo_config_release(&p->cfg);
        if (csfo_config_parse("{}", &p->cfg, NULL) != CSF_OK)
            return -1;
        p->cfg.enabled = 0;
        snprintf(p->cfg.config_error, sizeof p->cfg.config_error, "%s", err.msg);
    }
    if (csfo_queue_init(&p->queue) != 0) {
        csfo_config_release(&p->cfg);
        return -1;
    }
    OrthancPluginSetDescription(ctx, "csfleak: analyses spinal MR myelography series for CSF "
                                     "leaks (research use only, not for diagnosis)");
    csfo_rest_register(p);
    OrthancPluginRegisterOnChangeCallback(ctx, on_change);
    csfo_log(p, 1, "version %s, %s, SeriesFilter \"%s\"", CSF_VERSION,
             p->cfg.enabled ? "enabled" : "disabled (REST only)", p->cfg.filter);
    return 0;
}

ORTHANC_PLUGINS_API void OrthancPluginFinalize(void)
{
    csfo_plugin *p = &plugin;
    csfo_queue_stop(&p->queue);
    if (p->worker_started)
        pthread_join(p->worker, NULL);
    p->worker_started = 0;
    csfo_queue_release(&p->queue);
    csfo_config_release(&p->cfg);
}

ORTHANC_PLUGINS_API const char *OrthancPluginGetName(void)
{
    return CSFO_NAME;
}

ORTHANC_PLUGINS_API const char *OrthancPluginGetVersion(void)
{
    return CSF_VERSION;
}
