/*
 * The native half of dev.leakwatch.agent.sampling.JvmHeapSampler: turns on the JVM's own TLAB-based heap sampler
 * (JVMTI SampledObjectAlloc, JDK 11+) and hands each sampled object to a Java receiver, on the allocating thread.
 *
 * Why native: no Java API exposes the sampled object itself (JFR's ObjectAllocationSample carries the type and stack
 * but not the object, so nothing could tell when it dies). The sampler costs the allocation path nothing: the JVM
 * only shortens the thread's TLAB so that the allocation crossing the next sample point takes the slow path.
 *
 * Rules for this file: never crash or stall the host. Every JVMTI or JNI failure becomes a status code for the Java
 * side to report and fall back on; a callback that cannot deliver drops the sample.
 */
#include <jni.h>
#include <jvmti.h>
#include <string.h>

/* Status codes returned to Java, besides JVMTI's own error numbers (all positive). Keep in step with JvmHeapSampler. */
#define LW_OK 0
#define LW_NO_JVMTI (-1)
#define LW_NO_CAPABILITY (-2)
#define LW_NO_RECEIVER_METHOD (-3)
#define LW_NO_GLOBAL_REF (-4)

/* Bumped when the Java side's expectations of this library change; the Java side checks it before use. */
#define LW_NATIVE_VERSION 1

static JavaVM *java_vm;
static jvmtiEnv *jvmti;
/*
 * The receiver and its method, published with release stores and read with acquire loads. A receiver's global
 * reference is never deleted: a callback on another thread may be using it at any moment, and stopping only clears
 * the receiver's target on the Java side. One small object per start, and starts are rare (a user turning allocation
 * tracking on again).
 */
static jobject receiver;
static jmethodID on_sample;
static int enabled;
/* Set while this thread delivers a sample: what the receiver allocates must not be sampled back into it. */
static __thread int delivering;

static void JNICALL sampled_object_alloc(jvmtiEnv *env, JNIEnv *jni, jthread thread, jobject object, jclass klass,
        jlong size) {
    (void) env;
    (void) thread;
    (void) klass;
    if (delivering || !__atomic_load_n(&enabled, __ATOMIC_ACQUIRE)) {
        return;
    }
    jobject target = __atomic_load_n(&receiver, __ATOMIC_ACQUIRE);
    jmethodID method = __atomic_load_n(&on_sample, __ATOMIC_ACQUIRE);
    if (target == NULL || method == NULL || (*jni)->ExceptionCheck(jni)) {
        return; /* an exception pending in the host's thread: calling Java now is not allowed, and it is not ours */
    }
    delivering = 1;
    (*jni)->CallVoidMethod(jni, target, method, object, size);
    if ((*jni)->ExceptionCheck(jni)) {
        (*jni)->ExceptionClear(jni); /* the receiver catches everything; this is the last firewall */
    }
    delivering = 0;
}

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved) {
    (void) reserved;
    java_vm = vm;
    return JNI_VERSION_1_8;
}

/* One JVMTI environment per library, created at the first start and kept: disposing it could race a callback. */
static jint ensure_environment(void) {
    if (jvmti != NULL) {
        return LW_OK;
    }
    jvmtiEnv *created;
    if (java_vm == NULL || (*java_vm)->GetEnv(java_vm, (void **) &created, JVMTI_VERSION_11) != JNI_OK) {
        return LW_NO_JVMTI;
    }
    jvmtiCapabilities capabilities;
    memset(&capabilities, 0, sizeof capabilities);
    capabilities.can_generate_sampled_object_alloc_events = 1;
    if ((*created)->AddCapabilities(created, &capabilities) != JVMTI_ERROR_NONE) {
        (*created)->DisposeEnvironment(created);
        return LW_NO_CAPABILITY;
    }
    jvmtiEventCallbacks callbacks;
    memset(&callbacks, 0, sizeof callbacks);
    callbacks.SampledObjectAlloc = sampled_object_alloc;
    jvmtiError error = (*created)->SetEventCallbacks(created, &callbacks, (jint) sizeof callbacks);
    if (error != JVMTI_ERROR_NONE) {
        (*created)->DisposeEnvironment(created);
        return (jint) error;
    }
    jvmti = created;
    return LW_OK;
}

JNIEXPORT jint JNICALL Java_dev_leakwatch_agent_sampling_JvmHeapSampler_nativeVersion(JNIEnv *jni, jclass type) {
    (void) jni;
    (void) type;
    return LW_NATIVE_VERSION;
}

JNIEXPORT jint JNICALL Java_dev_leakwatch_agent_sampling_JvmHeapSampler_start0(JNIEnv *jni, jclass type,
        jobject relay, jint interval) {
    (void) type;
    jint status = ensure_environment();
    if (status != LW_OK) {
        return status;
    }
    jclass relayType = (*jni)->GetObjectClass(jni, relay);
    jmethodID method = (*jni)->GetMethodID(jni, relayType, "onSample", "(Ljava/lang/Object;J)V");
    if (method == NULL) {
        (*jni)->ExceptionClear(jni);
        return LW_NO_RECEIVER_METHOD;
    }
    jobject global = (*jni)->NewGlobalRef(jni, relay);
    if (global == NULL) {
        (*jni)->ExceptionClear(jni);
        return LW_NO_GLOBAL_REF;
    }
    __atomic_store_n(&on_sample, method, __ATOMIC_RELEASE);
    __atomic_store_n(&receiver, global, __ATOMIC_RELEASE);
    jvmtiError error = (*jvmti)->SetHeapSamplingInterval(jvmti, interval);
    if (error != JVMTI_ERROR_NONE) {
        return (jint) error;
    }
    __atomic_store_n(&enabled, 1, __ATOMIC_RELEASE);
    error = (*jvmti)->SetEventNotificationMode(jvmti, JVMTI_ENABLE, JVMTI_EVENT_SAMPLED_OBJECT_ALLOC, NULL);
    if (error != JVMTI_ERROR_NONE) {
        __atomic_store_n(&enabled, 0, __ATOMIC_RELEASE);
        return (jint) error;
    }
    return LW_OK;
}

JNIEXPORT jint JNICALL Java_dev_leakwatch_agent_sampling_JvmHeapSampler_setInterval0(JNIEnv *jni, jclass type,
        jint interval) {
    (void) jni;
    (void) type;
    if (jvmti == NULL) {
        return LW_NO_JVMTI;
    }
    return (jint) (*jvmti)->SetHeapSamplingInterval(jvmti, interval);
}

JNIEXPORT jint JNICALL Java_dev_leakwatch_agent_sampling_JvmHeapSampler_stop0(JNIEnv *jni, jclass type) {
    (void) jni;
    (void) type;
    __atomic_store_n(&enabled, 0, __ATOMIC_RELEASE);
    if (jvmti == NULL) {
        return LW_OK;
    }
    return (jint) (*jvmti)->SetEventNotificationMode(jvmti, JVMTI_DISABLE, JVMTI_EVENT_SAMPLED_OBJECT_ALLOC, NULL);
}
