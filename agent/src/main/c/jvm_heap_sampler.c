/*
 * The native half of dev.leakwatch.agent.sampling.JvmHeapSampler: turns on the JVM's own TLAB-based heap sampler
 * (JVMTI SampledObjectAlloc, JDK 11+) and queues each sampled object, its size and its stack for the agent's own
 * thread to take (drain0).
 *
 * Why native: no Java API exposes the sampled object itself (JFR's ObjectAllocationSample carries the type and stack
 * but not the object, so nothing could tell when it dies). The sampler costs the allocation path nothing: the JVM
 * only shortens the thread's TLAB so that the allocation crossing the next sample point takes the slow path.
 *
 * Why a queue: the callback runs on the allocating thread, wherever it is, including while that thread loads or
 * initializes a class. Running the agent's Java code there once made a JDK class fail to resolve for the host for
 * good (ClassCircularityError, then "Could not initialize class sun.util.locale.provider.LocaleProviderAdapter"). So
 * the callback runs no Java code at all: a weak global reference, the JVM's own stack walk of the current thread, and
 * a copy into a bounded buffer under a mutex held for the copy only. Everything else (method names, line numbers,
 * the tracking table) happens on the agent's thread.
 *
 * Rules for this file: never crash or stall the host. Every JVMTI or JNI failure becomes a status code for the Java
 * side to report and fall back on; a callback that cannot queue drops the sample and counts it.
 */
#include <jni.h>
#include <jvmti.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Status codes returned to Java, besides JVMTI's own error numbers (all positive). Keep in step with JvmHeapSampler. */
#define LW_OK 0
#define LW_NO_JVMTI (-1)
#define LW_NO_CAPABILITY (-2)
#define LW_NO_MEMORY (-3)
#define LW_BAD_ARGUMENT (-4)

/* Bumped when the Java side's expectations of this library change; the Java side checks it before use. */
#define LW_NATIVE_VERSION 2

/* The deepest stack a sample may carry: the stackDepth option's maximum plus the frames the Java side filters. */
#define LW_MAX_DEPTH 320

/* Threads whose name starts with this are the agent's own: their allocations are not the application's. */
static const char AGENT_THREAD_PREFIX[] = "leakwatch-";

/* One buffer of samples; the callback fills the active one, drain0 takes the other after swapping them. */
typedef struct {
    jint count;
    jobject *objects;        /* weak global references */
    jlong *sizes;
    jint *intervals;         /* the sampling interval in force when the sample was taken */
    jint *depths;
    jvmtiFrameInfo *frames;  /* capacity * depth, depth frames per sample */
} queue_t;

static JavaVM *java_vm;
static jvmtiEnv *jvmti;
static int has_line_numbers;
static int has_source_files;

/* Guards the queue pointers and the active queue's contents: held by a callback for one copy, by drain0 for a swap. */
static pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
/* Serializes start0, stop0 and drain0, so a queue is never freed while drain0 reads it. */
static pthread_mutex_t control_lock = PTHREAD_MUTEX_INITIALIZER;
/* Signalled when the active queue is half full, or on stop: wakes the drainer before the queue overflows. */
static pthread_cond_t queue_half_full;
static int queue_half_full_ready;
static queue_t *active;
static queue_t *spare;
static jint capacity;
static jint depth;

static int enabled;
/* Set once the active queue is full, cleared when drained: spares a sample the stack walk it would throw away. */
static int queue_full;
static jint interval_in_force;
static jlong dropped;

/* 0 while unknown, 1 for an application thread, 2 for one of the agent's: looked up once per thread, by name. */
static __thread int thread_kind;

static queue_t *new_queue(jint slots, jint frames_per_slot) {
    queue_t *queue = calloc(1, sizeof(queue_t));
    if (queue == NULL) {
        return NULL;
    }
    queue->objects = calloc((size_t) slots, sizeof(jobject));
    queue->sizes = calloc((size_t) slots, sizeof(jlong));
    queue->intervals = calloc((size_t) slots, sizeof(jint));
    queue->depths = calloc((size_t) slots, sizeof(jint));
    queue->frames = calloc((size_t) slots * (size_t) frames_per_slot, sizeof(jvmtiFrameInfo));
    if (queue->objects == NULL || queue->sizes == NULL || queue->intervals == NULL || queue->depths == NULL
            || queue->frames == NULL) {
        free(queue->objects);
        free(queue->sizes);
        free(queue->intervals);
        free(queue->depths);
        free(queue->frames);
        free(queue);
        return NULL;
    }
    return queue;
}

/* Frees a queue no callback can reach any more, with the references it still holds. */
static void free_queue(JNIEnv *jni, queue_t *queue) {
    if (queue == NULL) {
        return;
    }
    for (jint i = 0; i < queue->count; i++) {
        (*jni)->DeleteWeakGlobalRef(jni, queue->objects[i]);
    }
    free(queue->objects);
    free(queue->sizes);
    free(queue->intervals);
    free(queue->depths);
    free(queue->frames);
    free(queue);
}

static int is_agent_thread(jvmtiEnv *env, JNIEnv *jni, jthread thread) {
    if (thread_kind == 0) {
        jvmtiThreadInfo info;
        memset(&info, 0, sizeof info);
        if ((*env)->GetThreadInfo(env, thread, &info) != JVMTI_ERROR_NONE) {
            return 0; /* not cached: asked again at this thread's next sample */
        }
        int agent = info.name != NULL && strncmp(info.name, AGENT_THREAD_PREFIX, sizeof AGENT_THREAD_PREFIX - 1) == 0;
        (*env)->Deallocate(env, (unsigned char *) info.name);
        if (info.thread_group != NULL) {
            (*jni)->DeleteLocalRef(jni, info.thread_group);
        }
        if (info.context_class_loader != NULL) {
            (*jni)->DeleteLocalRef(jni, info.context_class_loader);
        }
        thread_kind = agent ? 2 : 1;
    }
    return thread_kind == 2;
}

static void JNICALL sampled_object_alloc(jvmtiEnv *env, JNIEnv *jni, jthread thread, jobject object, jclass klass,
        jlong size) {
    (void) klass;
    if (!__atomic_load_n(&enabled, __ATOMIC_ACQUIRE) || (*jni)->ExceptionCheck(jni)
            || is_agent_thread(env, jni, thread)) {
        return;
    }
    if (__atomic_load_n(&queue_full, __ATOMIC_RELAXED)) {
        __atomic_add_fetch(&dropped, 1, __ATOMIC_RELAXED);
        return;
    }
    jint wanted = __atomic_load_n(&depth, __ATOMIC_ACQUIRE);
    if (wanted <= 0 || wanted > LW_MAX_DEPTH) {
        return; /* stopped meanwhile */
    }
    /* Sized to the depth asked for (512 bytes at the default), within the shadow pages the JVM keeps for native code. */
    jvmtiFrameInfo frames[wanted];
    jint count = 0;
    if ((*env)->GetStackTrace(env, NULL, 0, wanted, frames, &count) != JVMTI_ERROR_NONE) {
        count = 0;
    }
    jobject weak = (*jni)->NewWeakGlobalRef(jni, object);
    if (weak == NULL) {
        (*jni)->ExceptionClear(jni);
        __atomic_add_fetch(&dropped, 1, __ATOMIC_RELAXED);
        return;
    }
    int queued = 0;
    pthread_mutex_lock(&queue_lock);
    queue_t *queue = active;
    if (queue != NULL && queue->count < capacity) {
        jint slot = queue->count++;
        jint kept = count < depth ? count : depth;
        queue->objects[slot] = weak;
        queue->sizes[slot] = size;
        queue->intervals[slot] = __atomic_load_n(&interval_in_force, __ATOMIC_RELAXED);
        queue->depths[slot] = kept;
        memcpy(queue->frames + (size_t) slot * (size_t) depth, frames, (size_t) kept * sizeof(jvmtiFrameInfo));
        queued = 1;
        if (queue->count == capacity / 2 && queue_half_full_ready) {
            pthread_cond_signal(&queue_half_full);
        }
        if (queue->count == capacity) {
            __atomic_store_n(&queue_full, 1, __ATOMIC_RELAXED);
        }
    }
    pthread_mutex_unlock(&queue_lock);
    if (!queued) {
        (*jni)->DeleteWeakGlobalRef(jni, weak);
        __atomic_add_fetch(&dropped, 1, __ATOMIC_RELAXED);
    }
}

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved) {
    (void) reserved;
    java_vm = vm;
    pthread_condattr_t attributes;
    if (pthread_condattr_init(&attributes) == 0) {
        if (pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC) == 0
                && pthread_cond_init(&queue_half_full, &attributes) == 0) {
            queue_half_full_ready = 1; /* otherwise the drainer only wakes on its timer */
        }
        pthread_condattr_destroy(&attributes);
    }
    return JNI_VERSION_1_8;
}

static int add_capability_line_numbers(jvmtiEnv *env) {
    jvmtiCapabilities capabilities;
    memset(&capabilities, 0, sizeof capabilities);
    capabilities.can_get_line_numbers = 1;
    return (*env)->AddCapabilities(env, &capabilities) == JVMTI_ERROR_NONE;
}

static int add_capability_source_files(jvmtiEnv *env) {
    jvmtiCapabilities capabilities;
    memset(&capabilities, 0, sizeof capabilities);
    capabilities.can_get_source_file_name = 1;
    return (*env)->AddCapabilities(env, &capabilities) == JVMTI_ERROR_NONE;
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
    /* Optional: without them, frames read "Unknown Source" rather than the file and line. */
    has_line_numbers = add_capability_line_numbers(created);
    has_source_files = add_capability_source_files(created);
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

/* Replaces both queues (dropping what they hold) with empty ones of the given shape. Call with control_lock held. */
static jint replace_queues(JNIEnv *jni, jint new_capacity, jint new_depth) {
    queue_t *first = NULL;
    queue_t *second = NULL;
    if (new_capacity > 0) {
        first = new_queue(new_capacity, new_depth);
        second = new_queue(new_capacity, new_depth);
        if (first == NULL || second == NULL) {
            free_queue(jni, first);
            free_queue(jni, second);
            return LW_NO_MEMORY;
        }
    }
    pthread_mutex_lock(&queue_lock);
    queue_t *old_active = active;
    queue_t *old_spare = spare;
    active = first;
    spare = second;
    capacity = new_capacity;
    __atomic_store_n(&queue_full, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&depth, new_depth, __ATOMIC_RELEASE);
    if (queue_half_full_ready) {
        pthread_cond_broadcast(&queue_half_full); /* a drainer waiting on the old queue looks again */
    }
    pthread_mutex_unlock(&queue_lock);
    free_queue(jni, old_active); /* no callback can reach them now: they only use queues under queue_lock */
    free_queue(jni, old_spare);
    return LW_OK;
}

JNIEXPORT jint JNICALL Java_dev_leakwatch_agent_sampling_JvmHeapSampler_start0(JNIEnv *jni, jclass type,
        jint interval, jint queue_capacity, jint stack_depth) {
    (void) type;
    if (interval < 1 || queue_capacity < 1 || stack_depth < 1 || stack_depth > LW_MAX_DEPTH) {
        return LW_BAD_ARGUMENT;
    }
    pthread_mutex_lock(&control_lock);
    jint status = ensure_environment();
    if (status == LW_OK) {
        __atomic_store_n(&enabled, 0, __ATOMIC_RELEASE);
        status = replace_queues(jni, queue_capacity, stack_depth);
    }
    if (status == LW_OK) {
        __atomic_store_n(&interval_in_force, interval, __ATOMIC_RELAXED);
        __atomic_store_n(&dropped, 0, __ATOMIC_RELAXED);
        status = (jint) (*jvmti)->SetHeapSamplingInterval(jvmti, interval);
    }
    if (status == LW_OK) {
        __atomic_store_n(&enabled, 1, __ATOMIC_RELEASE);
        status = (jint) (*jvmti)->SetEventNotificationMode(jvmti, JVMTI_ENABLE, JVMTI_EVENT_SAMPLED_OBJECT_ALLOC,
                NULL);
        if (status != LW_OK) {
            __atomic_store_n(&enabled, 0, __ATOMIC_RELEASE);
        }
    }
    pthread_mutex_unlock(&control_lock);
    return status;
}

JNIEXPORT jint JNICALL Java_dev_leakwatch_agent_sampling_JvmHeapSampler_setInterval0(JNIEnv *jni, jclass type,
        jint interval) {
    (void) jni;
    (void) type;
    if (jvmti == NULL) {
        return LW_NO_JVMTI;
    }
    __atomic_store_n(&interval_in_force, interval, __ATOMIC_RELAXED);
    return (jint) (*jvmti)->SetHeapSamplingInterval(jvmti, interval);
}

JNIEXPORT jint JNICALL Java_dev_leakwatch_agent_sampling_JvmHeapSampler_stop0(JNIEnv *jni, jclass type) {
    (void) type;
    pthread_mutex_lock(&control_lock);
    __atomic_store_n(&enabled, 0, __ATOMIC_RELEASE);
    jint status = LW_OK;
    if (jvmti != NULL) {
        status = (jint) (*jvmti)->SetEventNotificationMode(jvmti, JVMTI_DISABLE, JVMTI_EVENT_SAMPLED_OBJECT_ALLOC,
                NULL);
        replace_queues(jni, 0, 0);
    }
    pthread_mutex_unlock(&control_lock);
    return status;
}

/*
 * Waits until the queue is half full, the sampler stops, or the timeout passes, whichever comes first. In native code
 * the waiting thread holds up no safepoint.
 */
JNIEXPORT void JNICALL Java_dev_leakwatch_agent_sampling_JvmHeapSampler_await0(JNIEnv *jni, jclass type,
        jint timeout_millis) {
    (void) jni;
    (void) type;
    struct timespec deadline;
    if (!queue_half_full_ready || clock_gettime(CLOCK_MONOTONIC, &deadline) != 0) {
        struct timespec pause = {timeout_millis / 1000, (long) (timeout_millis % 1000) * 1000000L};
        nanosleep(&pause, NULL);
        return;
    }
    deadline.tv_sec += timeout_millis / 1000;
    deadline.tv_nsec += (long) (timeout_millis % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&queue_lock);
    queue_t *waited_on = active;
    if (waited_on != NULL && waited_on->count < capacity / 2) {
        pthread_cond_timedwait(&queue_half_full, &queue_lock, &deadline);
    }
    pthread_mutex_unlock(&queue_lock);
}

/* Samples dropped since start because the queue was full or out of references. */
JNIEXPORT jlong JNICALL Java_dev_leakwatch_agent_sampling_JvmHeapSampler_dropped0(JNIEnv *jni, jclass type) {
    (void) jni;
    (void) type;
    return __atomic_load_n(&dropped, __ATOMIC_RELAXED);
}

/*
 * Takes every queued sample into the given arrays, sized by the Java side for a full queue: the objects (null for
 * those already collected), sizes, intervals and stack depths, and each sample's frames at index sample * depth
 * (method IDs and bytecode indexes, -1 for a native method). Returns how many samples, or a negative status.
 */
JNIEXPORT jint JNICALL Java_dev_leakwatch_agent_sampling_JvmHeapSampler_drain0(JNIEnv *jni, jclass type,
        jobjectArray objects, jlongArray sizes, jintArray intervals, jintArray depths, jlongArray methods,
        jintArray locations) {
    (void) type;
    pthread_mutex_lock(&control_lock);
    if (spare == NULL || (*jni)->GetArrayLength(jni, objects) < capacity
            || (*jni)->GetArrayLength(jni, sizes) < capacity || (*jni)->GetArrayLength(jni, intervals) < capacity
            || (*jni)->GetArrayLength(jni, depths) < capacity
            || (*jni)->GetArrayLength(jni, methods) < capacity * depth
            || (*jni)->GetArrayLength(jni, locations) < capacity * depth) {
        pthread_mutex_unlock(&control_lock);
        return spare == NULL ? 0 : LW_BAD_ARGUMENT;
    }
    pthread_mutex_lock(&queue_lock);
    queue_t *full = active;
    active = spare;
    spare = full;
    __atomic_store_n(&queue_full, 0, __ATOMIC_RELAXED);
    pthread_mutex_unlock(&queue_lock);

    jint count = full->count;
    jint frames_per_sample = depth;
    (*jni)->SetLongArrayRegion(jni, sizes, 0, count, full->sizes);
    (*jni)->SetIntArrayRegion(jni, intervals, 0, count, full->intervals);
    (*jni)->SetIntArrayRegion(jni, depths, 0, count, full->depths);
    jlong method_ids[LW_MAX_DEPTH];
    jint bytecode_indexes[LW_MAX_DEPTH];
    for (jint i = 0; i < count; i++) {
        jobject live = (*jni)->NewLocalRef(jni, full->objects[i]); /* NULL once collected */
        (*jni)->DeleteWeakGlobalRef(jni, full->objects[i]);
        (*jni)->SetObjectArrayElement(jni, objects, i, live);
        if (live != NULL) {
            (*jni)->DeleteLocalRef(jni, live);
        }
        jint frames = full->depths[i];
        jvmtiFrameInfo *first = full->frames + (size_t) i * (size_t) frames_per_sample;
        for (jint f = 0; f < frames; f++) {
            method_ids[f] = (jlong) (intptr_t) first[f].method;
            bytecode_indexes[f] = (jint) first[f].location;
        }
        (*jni)->SetLongArrayRegion(jni, methods, i * frames_per_sample, frames, method_ids);
        (*jni)->SetIntArrayRegion(jni, locations, i * frames_per_sample, frames, bytecode_indexes);
    }
    full->count = 0;
    pthread_mutex_unlock(&control_lock);
    return count;
}

static jstring new_string(JNIEnv *jni, const char *text) {
    if (text == NULL) {
        return NULL;
    }
    jstring string = (*jni)->NewStringUTF(jni, text);
    if (string == NULL) {
        (*jni)->ExceptionClear(jni);
    }
    return string;
}

/*
 * A method's declaring class signature, name and source file ({"Ljava/util/HashMap;", "resize", "HashMap.java"}, the
 * file null when unknown), or null when the method ID no longer names a method (its class was unloaded).
 */
JNIEXPORT jobjectArray JNICALL Java_dev_leakwatch_agent_sampling_JvmHeapSampler_describeMethod0(JNIEnv *jni,
        jclass type, jlong method_id) {
    (void) type;
    if (jvmti == NULL || method_id == 0) {
        return NULL;
    }
    jmethodID method = (jmethodID) (intptr_t) method_id;
    jclass declaring;
    if ((*jvmti)->GetMethodDeclaringClass(jvmti, method, &declaring) != JVMTI_ERROR_NONE) {
        return NULL;
    }
    char *signature = NULL;
    char *name = NULL;
    char *file = NULL;
    jobjectArray result = NULL;
    if ((*jvmti)->GetClassSignature(jvmti, declaring, &signature, NULL) == JVMTI_ERROR_NONE
            && (*jvmti)->GetMethodName(jvmti, method, &name, NULL, NULL) == JVMTI_ERROR_NONE) {
        if (has_source_files && (*jvmti)->GetSourceFileName(jvmti, declaring, &file) != JVMTI_ERROR_NONE) {
            file = NULL;
        }
        jclass string_type = (*jni)->FindClass(jni, "java/lang/String");
        if (string_type != NULL) {
            result = (*jni)->NewObjectArray(jni, 3, string_type, NULL);
        }
        if (result != NULL) {
            (*jni)->SetObjectArrayElement(jni, result, 0, new_string(jni, signature));
            (*jni)->SetObjectArrayElement(jni, result, 1, new_string(jni, name));
            (*jni)->SetObjectArrayElement(jni, result, 2, new_string(jni, file));
        } else {
            (*jni)->ExceptionClear(jni);
        }
    }
    (*jvmti)->Deallocate(jvmti, (unsigned char *) signature);
    (*jvmti)->Deallocate(jvmti, (unsigned char *) name);
    (*jvmti)->Deallocate(jvmti, (unsigned char *) file);
    (*jni)->DeleteLocalRef(jni, declaring);
    return result;
}

/*
 * A method's line number table as pairs {first bytecode index, line, ...}, or null when it has none (a native or
 * abstract method, a class compiled without line numbers, or no capability to read them).
 */
JNIEXPORT jintArray JNICALL Java_dev_leakwatch_agent_sampling_JvmHeapSampler_lineTable0(JNIEnv *jni, jclass type,
        jlong method_id) {
    (void) type;
    if (jvmti == NULL || !has_line_numbers || method_id == 0) {
        return NULL;
    }
    jint entries = 0;
    jvmtiLineNumberEntry *table = NULL;
    if ((*jvmti)->GetLineNumberTable(jvmti, (jmethodID) (intptr_t) method_id, &entries, &table)
            != JVMTI_ERROR_NONE) {
        return NULL;
    }
    jintArray result = (*jni)->NewIntArray(jni, entries * 2);
    if (result != NULL) {
        for (jint i = 0; i < entries; i++) {
            jint pair[2] = {(jint) table[i].start_location, table[i].line_number};
            (*jni)->SetIntArrayRegion(jni, result, i * 2, 2, pair);
        }
    } else {
        (*jni)->ExceptionClear(jni);
    }
    (*jvmti)->Deallocate(jvmti, (unsigned char *) table);
    return result;
}
