/*
 * A measuring probe, not part of leakwatch: what the JVM's own TLAB-based heap sampling (JVMTI SampledObjectAlloc,
 * JDK 11+) costs an allocation-heavy application when each sample is handed to Java code that does what
 * leakwatch's tracker does with a sample (a stack walk and a weak reference). Loaded with
 *   -agentpath:libprobe.so=INTERVAL_BYTES -Xbootclasspath/a:DIR_WITH_HeapSamplingProbe.class
 * See bench/allocation-overhead.sh, configuration jvmti-probe.
 */
#include <jvmti.h>
#include <stdlib.h>
#include <string.h>

static jclass probe_class;
static jmethodID sampled_method;
static volatile int ready;

static void JNICALL on_vm_init(jvmtiEnv *jvmti, JNIEnv *env, jthread thread) {
    jclass found = (*env)->FindClass(env, "HeapSamplingProbe");
    if (found == NULL) {
        (*env)->ExceptionClear(env);
        return;
    }
    probe_class = (*env)->NewGlobalRef(env, found);
    sampled_method = (*env)->GetStaticMethodID(env, found, "sampled", "(Ljava/lang/Object;J)V");
    if (sampled_method == NULL) {
        (*env)->ExceptionClear(env);
        return;
    }
    ready = 1;
    (*jvmti)->SetEventNotificationMode(jvmti, JVMTI_ENABLE, JVMTI_EVENT_SAMPLED_OBJECT_ALLOC, NULL);
}

static void JNICALL on_sample(jvmtiEnv *jvmti, JNIEnv *env, jthread thread, jobject object, jclass klass,
        jlong size) {
    if (!ready) {
        return;
    }
    (*env)->CallStaticVoidMethod(env, probe_class, sampled_method, object, size);
    if ((*env)->ExceptionCheck(env)) {
        (*env)->ExceptionClear(env);
    }
}

JNIEXPORT jint JNICALL Agent_OnLoad(JavaVM *vm, char *options, void *reserved) {
    jvmtiEnv *jvmti;
    if ((*vm)->GetEnv(vm, (void **) &jvmti, JVMTI_VERSION_11) != JNI_OK) {
        return 1;
    }
    jvmtiCapabilities capabilities;
    memset(&capabilities, 0, sizeof capabilities);
    capabilities.can_generate_sampled_object_alloc_events = 1;
    if ((*jvmti)->AddCapabilities(jvmti, &capabilities) != JVMTI_ERROR_NONE) {
        return 1;
    }
    jvmtiEventCallbacks callbacks;
    memset(&callbacks, 0, sizeof callbacks);
    callbacks.VMInit = on_vm_init;
    callbacks.SampledObjectAlloc = on_sample;
    (*jvmti)->SetEventCallbacks(jvmti, &callbacks, sizeof callbacks);
    (*jvmti)->SetEventNotificationMode(jvmti, JVMTI_ENABLE, JVMTI_EVENT_VM_INIT, NULL);
    jint interval = options != NULL && options[0] != '\0' ? atoi(options) : 512 * 1024;
    (*jvmti)->SetHeapSamplingInterval(jvmti, interval);
    return 0;
}
