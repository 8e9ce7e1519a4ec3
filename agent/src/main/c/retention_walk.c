/*
 * The native half of dev.leakwatch.agent.holders.HeapWalk: finds who holds a leak suspect's objects, in the running
 * JVM, with JVMTI heap tagging and FollowReferences.
 *
 * Why backwards: a walk forward from the roots that kept a parent link for every object would tag every object in
 * the heap (the JVM's tag map costs about 40 bytes an entry: 800 MB for 20 million objects). Instead the targets (the
 * suspect's sampled objects, or the first instances of its class the walk meets) are tagged, and each pass over the
 * heap tags the referrers of what is tagged: one more level of ancestors per pass, sometimes more. Only ancestors of
 * targets are ever tagged, at most max_nodes of them. Each pass is one JVMTI heap walk, one safepoint pause; the
 * application runs between passes (tags follow objects as they move). The Java side stops the passes once every
 * reachable target connects to a root, and computes the shortest chains from the edges recorded here.
 *
 * A node that is a root (a thread, a JNI global, a stack local, a system class) or a class whose static field refers
 * to a tagged node ends a chain: its own referrers are not followed. So are the agent's own classes and threads,
 * which the Java side tags beforehand as excluded: their references are never recorded.
 *
 * Rules for this file: never crash or stall the host. Every JVMTI or JNI failure is a status code; the walk's own
 * JVMTI environment is disposed at the end, which drops every tag it set at once.
 */
#include <jni.h>
#include <jvmti.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Keep in step with HeapWalk. */
#define LW_WALK_VERSION 2
#define LW_OK 0
#define LW_NO_JVMTI (-1)
#define LW_NO_CAPABILITY (-2)
#define LW_NO_MEMORY (-3)
#define LW_BAD_ARGUMENT (-4)
#define LW_NOT_STARTED (-5)

/* Node flags; keep in step with HeapWalk. */
#define NODE_TARGET 1
#define NODE_TARGET_CLASS 2
#define NODE_EXCLUDED 4
#define NODE_EXPANDABLE 8
#define NODE_ROOT 16
#define NODE_STATIC_HOLDER 32
#define NODE_SEEN 64

typedef struct {
    jint flags;
    jint root_kind;
    jlong root_method; /* the frame's method for a stack or JNI local root, else 0 */
    jlong root_thread; /* the thread's id for a stack or JNI local root, else 0 */
} walk_node;

typedef struct {
    jint from;
    jint to;
    jint kind;
    jint index;
} walk_edge;

static jvmtiEnv *walk_env;
static walk_node *nodes;
static jint node_count;
static jint node_capacity;
static walk_edge *edges;
static jint edge_count;
static jint edge_capacity;
/* Open addressing over (from << 32 | to), 0 for an empty slot: a pass reports every edge again, each is kept once. */
static uint64_t *edge_keys;
static size_t edge_key_mask;
static jint target_count;
static jint max_targets;
static jint new_nodes;
static int node_budget_hit;
static int edge_budget_hit;
static int follow_class_edges;
static jint passes_done;

static void free_walk(void) {
    free(nodes);
    free(edges);
    free(edge_keys);
    nodes = NULL;
    edges = NULL;
    edge_keys = NULL;
    node_count = node_capacity = edge_count = edge_capacity = 0;
    target_count = max_targets = new_nodes = 0;
    node_budget_hit = edge_budget_hit = follow_class_edges = 0;
    passes_done = 0;
    edge_key_mask = 0;
}

/* A new node's tag (its index + 1), or 0 once the node budget is spent. */
static jlong new_node(jint flags) {
    if (node_count >= node_capacity) {
        node_budget_hit = 1;
        return 0;
    }
    walk_node *node = &nodes[node_count++];
    node->flags = flags;
    node->root_kind = 0;
    node->root_method = 0;
    node->root_thread = 0;
    new_nodes++;
    return (jlong) node_count;
}

static walk_node *node_of(jlong tag) {
    return tag >= 1 && tag <= node_count ? &nodes[tag - 1] : NULL;
}

static int has_flag(jlong tag, jint flag) {
    walk_node *node = node_of(tag);
    return node != NULL && (node->flags & flag) != 0;
}

static void record_edge(jlong from, jlong to, jint kind, jint index) {
    uint64_t key = ((uint64_t) (uint32_t) from << 32) | (uint32_t) to;
    size_t slot = (size_t) ((key * 0x9E3779B97F4A7C15ULL) >> 17) & edge_key_mask;
    while (edge_keys[slot] != 0) {
        if (edge_keys[slot] == key) {
            return;
        }
        slot = (slot + 1) & edge_key_mask;
    }
    if (edge_count >= edge_capacity) {
        edge_budget_hit = 1;
        return;
    }
    edge_keys[slot] = key;
    walk_edge *edge = &edges[edge_count++];
    edge->from = (jint) from;
    edge->to = (jint) to;
    edge->kind = kind;
    edge->index = index;
}

static int is_root_kind(jvmtiHeapReferenceKind kind) {
    switch (kind) {
        case JVMTI_HEAP_REFERENCE_JNI_GLOBAL:
        case JVMTI_HEAP_REFERENCE_SYSTEM_CLASS:
        case JVMTI_HEAP_REFERENCE_MONITOR:
        case JVMTI_HEAP_REFERENCE_STACK_LOCAL:
        case JVMTI_HEAP_REFERENCE_JNI_LOCAL:
        case JVMTI_HEAP_REFERENCE_THREAD:
        case JVMTI_HEAP_REFERENCE_OTHER:
            return 1;
        default:
            return 0;
    }
}

static void mark_root(walk_node *node, jvmtiHeapReferenceKind kind, const jvmtiHeapReferenceInfo *info) {
    if (kind == JVMTI_HEAP_REFERENCE_STACK_LOCAL || kind == JVMTI_HEAP_REFERENCE_JNI_LOCAL) {
        /* A local of one of the agent's own threads (the walking thread's frames) holds nothing for the host. */
        jlong thread_tag = kind == JVMTI_HEAP_REFERENCE_STACK_LOCAL ? info->stack_local.thread_tag
                                                                   : info->jni_local.thread_tag;
        if (has_flag(thread_tag, NODE_EXCLUDED)) {
            return;
        }
        node->flags |= NODE_SEEN;
        node->root_method = (jlong) (intptr_t) (kind == JVMTI_HEAP_REFERENCE_STACK_LOCAL ? info->stack_local.method
                                                                                        : info->jni_local.method);
        node->root_thread = kind == JVMTI_HEAP_REFERENCE_STACK_LOCAL ? info->stack_local.thread_id
                                                                     : info->jni_local.thread_id;
    }
    node->flags |= NODE_ROOT | NODE_SEEN;
    node->root_kind = (jint) kind;
}

static jint edge_index(jvmtiHeapReferenceKind kind, const jvmtiHeapReferenceInfo *info) {
    switch (kind) {
        case JVMTI_HEAP_REFERENCE_FIELD:
        case JVMTI_HEAP_REFERENCE_STATIC_FIELD:
            return info->field.index;
        case JVMTI_HEAP_REFERENCE_ARRAY_ELEMENT:
            return info->array.index;
        default:
            return -1;
    }
}

/* Runs at a safepoint, on the VM thread or the walking thread: no JNI, no allocation beyond the preallocated tables. */
static jint JNICALL walk_reference(jvmtiHeapReferenceKind kind, const jvmtiHeapReferenceInfo *info, jlong class_tag,
        jlong referrer_class_tag, jlong size, jlong *tag_ptr, jlong *referrer_tag_ptr, jint length, void *user_data) {
    (void) size;
    (void) length;
    (void) user_data;
    jlong tag = *tag_ptr;
    if (tag == 0 && is_root_kind(kind) && kind != JVMTI_HEAP_REFERENCE_SYSTEM_CLASS
            && !has_flag(class_tag, NODE_TARGET_CLASS)) {
        /*
         * The objects roots hold (threads, locals, JNI references; not the system classes, whose static fields end a
         * chain anyway) are tagged as roots at the first pass, so that a search that reaches one knows at once that
         * the chain is complete, rather than a pass later. A few thousand nodes.
         */
        if (kind == JVMTI_HEAP_REFERENCE_STACK_LOCAL || kind == JVMTI_HEAP_REFERENCE_JNI_LOCAL) {
            jlong thread_tag = kind == JVMTI_HEAP_REFERENCE_STACK_LOCAL ? info->stack_local.thread_tag
                                                                       : info->jni_local.thread_tag;
            if (has_flag(thread_tag, NODE_EXCLUDED)) {
                return JVMTI_VISIT_OBJECTS;
            }
        }
        if (node_count < node_capacity / 2) { /* half the budget at most: the search needs the rest */
            tag = new_node(0);
            *tag_ptr = tag;
            mark_root(node_of(tag), kind, info);
            new_nodes--; /* not a step of the search */
        }
        return JVMTI_VISIT_OBJECTS;
    }
    if (tag == 0) {
        if (!has_flag(class_tag, NODE_TARGET_CLASS) || target_count >= max_targets) {
            return JVMTI_VISIT_OBJECTS;
        }
        tag = new_node(NODE_TARGET | NODE_EXPANDABLE);
        if (tag == 0) {
            return JVMTI_VISIT_OBJECTS;
        }
        *tag_ptr = tag;
        target_count++;
    }
    walk_node *to = node_of(tag);
    if (to == NULL) {
        return JVMTI_VISIT_OBJECTS;
    }
    if (is_root_kind(kind)) {
        if ((to->flags & NODE_ROOT) == 0 && (to->flags & (NODE_EXPANDABLE | NODE_STATIC_HOLDER)) != 0) {
            mark_root(to, kind, info);
        }
        return JVMTI_VISIT_OBJECTS;
    }
    switch (kind) {
        case JVMTI_HEAP_REFERENCE_FIELD:
        case JVMTI_HEAP_REFERENCE_ARRAY_ELEMENT:
        case JVMTI_HEAP_REFERENCE_STATIC_FIELD:
            break;
        case JVMTI_HEAP_REFERENCE_CLASS:
        case JVMTI_HEAP_REFERENCE_CLASS_LOADER:
            /* An instance holds its class, a class its loader: followed only when the targets are class loaders. */
            if (!follow_class_edges) {
                return JVMTI_VISIT_OBJECTS;
            }
            break;
        default:
            return JVMTI_VISIT_OBJECTS;
    }
    if ((to->flags & NODE_EXPANDABLE) == 0 || (to->flags & NODE_ROOT) != 0 || referrer_tag_ptr == NULL
            || referrer_tag_ptr == tag_ptr) {
        return JVMTI_VISIT_OBJECTS;
    }
    jlong from = *referrer_tag_ptr;
    /* Excluded: the agent's classes (a static field's referrer is the class itself) and threads, and instances of
     * its classes (whose class is excluded). */
    if (has_flag(from, NODE_EXCLUDED) || has_flag(referrer_class_tag, NODE_EXCLUDED)) {
        return JVMTI_VISIT_OBJECTS;
    }
    /* Held by something other than the agent: a chain is expected (a target only the agent holds is not waited for). */
    to->flags |= NODE_SEEN;
    if (from == 0) {
        jint flags;
        if (kind == JVMTI_HEAP_REFERENCE_STATIC_FIELD) {
            flags = NODE_STATIC_HOLDER;
        } else if (has_flag(referrer_class_tag, NODE_TARGET_CLASS) && target_count < max_targets) {
            flags = NODE_TARGET | NODE_EXPANDABLE; /* a linked structure of the suspect's own instances */
            target_count++;
        } else {
            flags = NODE_EXPANDABLE;
        }
        from = new_node(flags | NODE_SEEN);
        if (from == 0) {
            return JVMTI_VISIT_OBJECTS;
        }
        *referrer_tag_ptr = from;
    } else if (node_of(from) == NULL) {
        return JVMTI_VISIT_OBJECTS;
    } else if (kind == JVMTI_HEAP_REFERENCE_STATIC_FIELD) {
        walk_node *holder = node_of(from);
        holder->flags = (holder->flags & ~NODE_EXPANDABLE) | NODE_STATIC_HOLDER;
    }
    record_edge(from, tag, (jint) kind, edge_index(kind, info));
    return JVMTI_VISIT_OBJECTS;
}

JNIEXPORT jint JNICALL Java_dev_leakwatch_agent_holders_HeapWalk_version0(JNIEnv *jni, jclass type) {
    (void) jni;
    (void) type;
    return LW_WALK_VERSION;
}

static int starts_with_any(const char *text, const char **prefixes, jint count) {
    for (jint i = 0; i < count; i++) {
        if (prefixes[i] != NULL && strncmp(text, prefixes[i], strlen(prefixes[i])) == 0) {
            return 1;
        }
    }
    return 0;
}

/*
 * The loaded classes whose JVM signature is `signature` (Lcom/acme/Foo;, [B) and those whose signature starts with one
 * of `prefixes` (Ldev/leakwatch/agent/), as Object[2] {Class[], Class[]}, each with nulls after its classes; null when
 * JVMTI fails. Found by signature, so that no Class caches a name String: Class.getName on every loaded class left
 * one string per class never named before in the host's heap, a step in its histograms at every first search.
 */
JNIEXPORT jobjectArray JNICALL Java_dev_leakwatch_agent_holders_HeapWalk_loadedClasses0(JNIEnv *jni, jclass type,
        jstring signature, jobjectArray prefixes) {
    (void) type;
    JavaVM *vm;
    jvmtiEnv *env;
    if (signature == NULL || prefixes == NULL || (*jni)->GetJavaVM(jni, &vm) != 0
            || (*vm)->GetEnv(vm, (void **) &env, JVMTI_VERSION_11) != JNI_OK) {
        return NULL;
    }
    jint count = 0;
    jclass *classes = NULL;
    if ((*env)->GetLoadedClasses(env, &count, &classes) != JVMTI_ERROR_NONE) {
        (*env)->DisposeEnvironment(env);
        return NULL;
    }
    jobjectArray result = NULL;
    jint prefix_count = (*jni)->GetArrayLength(jni, prefixes);
    const char **prefix_chars = calloc((size_t) (prefix_count > 0 ? prefix_count : 1), sizeof(char *));
    jstring *prefix_strings = calloc((size_t) (prefix_count > 0 ? prefix_count : 1), sizeof(jstring));
    const char *wanted = (*jni)->GetStringUTFChars(jni, signature, NULL);
    jclass class_type = (*jni)->FindClass(jni, "java/lang/Class");
    jclass object_type = (*jni)->FindClass(jni, "java/lang/Object");
    jobjectArray matching = class_type == NULL ? NULL : (*jni)->NewObjectArray(jni, count, class_type, NULL);
    jobjectArray own = class_type == NULL ? NULL : (*jni)->NewObjectArray(jni, count, class_type, NULL);
    if (prefix_chars != NULL && prefix_strings != NULL && wanted != NULL && object_type != NULL && matching != NULL
            && own != NULL) {
        for (jint i = 0; i < prefix_count; i++) {
            prefix_strings[i] = (jstring) (*jni)->GetObjectArrayElement(jni, prefixes, i);
            prefix_chars[i] =
                    prefix_strings[i] == NULL ? NULL : (*jni)->GetStringUTFChars(jni, prefix_strings[i], NULL);
        }
        jint matched = 0;
        jint owned = 0;
        for (jint i = 0; i < count; i++) {
            char *class_signature = NULL;
            if ((*env)->GetClassSignature(env, classes[i], &class_signature, NULL) == JVMTI_ERROR_NONE
                    && class_signature != NULL) {
                if (strcmp(class_signature, wanted) == 0) {
                    (*jni)->SetObjectArrayElement(jni, matching, matched++, classes[i]);
                } else if (starts_with_any(class_signature, prefix_chars, prefix_count)) {
                    (*jni)->SetObjectArrayElement(jni, own, owned++, classes[i]);
                }
                (*env)->Deallocate(env, (unsigned char *) class_signature);
            }
            (*jni)->DeleteLocalRef(jni, classes[i]);
        }
        result = (*jni)->NewObjectArray(jni, 2, object_type, NULL);
        if (result != NULL) {
            (*jni)->SetObjectArrayElement(jni, result, 0, matching);
            (*jni)->SetObjectArrayElement(jni, result, 1, own);
        }
    } else {
        for (jint i = 0; i < count; i++) {
            (*jni)->DeleteLocalRef(jni, classes[i]);
        }
    }
    if (prefix_chars != NULL && prefix_strings != NULL) {
        for (jint i = 0; i < prefix_count; i++) {
            if (prefix_chars[i] != NULL) {
                (*jni)->ReleaseStringUTFChars(jni, prefix_strings[i], prefix_chars[i]);
            }
        }
    }
    free(prefix_chars);
    free(prefix_strings);
    if (wanted != NULL) {
        (*jni)->ReleaseStringUTFChars(jni, signature, wanted);
    }
    (*env)->Deallocate(env, (unsigned char *) classes);
    (*env)->DisposeEnvironment(env);
    return result;
}

static jint tag_all(JNIEnv *jni, jobjectArray objects, jint flags, jint *tagged) {
    jint length = objects == NULL ? 0 : (*jni)->GetArrayLength(jni, objects);
    for (jint i = 0; i < length; i++) {
        jobject object = (*jni)->GetObjectArrayElement(jni, objects, i);
        if (object == NULL) {
            continue;
        }
        jlong existing = 0;
        if ((*walk_env)->GetTag(walk_env, object, &existing) == JVMTI_ERROR_NONE && existing != 0) {
            walk_node *node = node_of(existing);
            if (node != NULL) {
                node->flags |= flags; /* given twice, or a target that is also a suspect class */
            }
        } else {
            jlong tag = new_node(flags);
            if (tag != 0 && (*walk_env)->SetTag(walk_env, object, tag) == JVMTI_ERROR_NONE && tagged != NULL) {
                (*tagged)++;
            }
        }
        (*jni)->DeleteLocalRef(jni, object);
    }
    return LW_OK;
}

/*
 * Starts a walk: a JVMTI environment of its own, tables for max_nodes nodes and max_edges edges, the targets tagged
 * (up to max_targets in all, the given objects first, then instances of the target classes as the passes meet them),
 * the excluded classes and threads tagged. A walk already started is ended first.
 */
JNIEXPORT jint JNICALL Java_dev_leakwatch_agent_holders_HeapWalk_begin0(JNIEnv *jni, jclass type, jobjectArray targets,
        jobjectArray target_classes, jobjectArray excluded, jint max_nodes, jint max_edges, jint targets_cap,
        jboolean class_edges) {
    (void) type;
    if (max_nodes < 1 || max_edges < 1 || targets_cap < 0) {
        return LW_BAD_ARGUMENT;
    }
    if (walk_env != NULL) {
        (*walk_env)->DisposeEnvironment(walk_env);
        walk_env = NULL;
    }
    free_walk();
    JavaVM *vm;
    jvmtiEnv *env;
    if ((*jni)->GetJavaVM(jni, &vm) != 0 || (*vm)->GetEnv(vm, (void **) &env, JVMTI_VERSION_11) != JNI_OK) {
        return LW_NO_JVMTI;
    }
    jvmtiCapabilities capabilities;
    memset(&capabilities, 0, sizeof capabilities);
    capabilities.can_tag_objects = 1;
    if ((*env)->AddCapabilities(env, &capabilities) != JVMTI_ERROR_NONE) {
        (*env)->DisposeEnvironment(env);
        return LW_NO_CAPABILITY;
    }
    size_t slots = 1;
    while (slots < (size_t) max_edges * 2) {
        slots <<= 1;
    }
    nodes = calloc((size_t) max_nodes, sizeof(walk_node));
    edges = calloc((size_t) max_edges, sizeof(walk_edge));
    edge_keys = calloc(slots, sizeof(uint64_t));
    if (nodes == NULL || edges == NULL || edge_keys == NULL) {
        free_walk();
        (*env)->DisposeEnvironment(env);
        return LW_NO_MEMORY;
    }
    walk_env = env;
    node_capacity = max_nodes;
    edge_capacity = max_edges;
    edge_key_mask = slots - 1;
    max_targets = targets_cap;
    follow_class_edges = class_edges ? 1 : 0;
    tag_all(jni, excluded, NODE_EXCLUDED, NULL);
    tag_all(jni, target_classes, NODE_TARGET_CLASS, NULL);
    jint tagged = 0;
    tag_all(jni, targets, NODE_TARGET | NODE_EXPANDABLE, &tagged);
    target_count = tagged;
    node_budget_hit = 0;
    return LW_OK;
}

/* One pass over the heap from its roots: the number of nodes it tagged, or a negative status or JVMTI error. */
JNIEXPORT jint JNICALL Java_dev_leakwatch_agent_holders_HeapWalk_pass0(JNIEnv *jni, jclass type, jclass klass) {
    (void) jni;
    (void) type;
    if (walk_env == NULL) {
        return LW_NOT_STARTED;
    }
    jvmtiHeapCallbacks callbacks;
    memset(&callbacks, 0, sizeof callbacks);
    callbacks.heap_reference_callback = walk_reference;
    new_nodes = 0;
    /*
     * The first pass meets every reachable object, so it finds every instance of the target classes there is to find;
     * later passes only need references into tagged objects, and the JVM can skip calling back for the others.
     */
    jint filter = passes_done == 0 ? 0 : JVMTI_HEAP_FILTER_UNTAGGED;
    jvmtiError error = (*walk_env)->FollowReferences(walk_env, filter, klass, NULL, &callbacks, NULL);
    passes_done++;
    if (error != JVMTI_ERROR_NONE) {
        return error > 0 ? (jint) error : LW_BAD_ARGUMENT;
    }
    return new_nodes;
}

/* {nodes, edges, targets, node budget hit, edge budget hit}. */
JNIEXPORT void JNICALL Java_dev_leakwatch_agent_holders_HeapWalk_state0(JNIEnv *jni, jclass type, jlongArray out) {
    (void) type;
    jlong state[5] = {node_count, edge_count, target_count, node_budget_hit, edge_budget_hit};
    if ((*jni)->GetArrayLength(jni, out) >= 5) {
        (*jni)->SetLongArrayRegion(jni, out, 0, 5, state);
    }
}

/* Copies the edges into the arrays (each at least as long as the edge count); returns how many. */
JNIEXPORT jint JNICALL Java_dev_leakwatch_agent_holders_HeapWalk_edges0(JNIEnv *jni, jclass type, jintArray from,
        jintArray to, jintArray kinds, jintArray indexes) {
    (void) type;
    if ((*jni)->GetArrayLength(jni, from) < edge_count || (*jni)->GetArrayLength(jni, to) < edge_count
            || (*jni)->GetArrayLength(jni, kinds) < edge_count || (*jni)->GetArrayLength(jni, indexes) < edge_count) {
        return LW_BAD_ARGUMENT;
    }
    jint *column = calloc((size_t) (edge_count > 0 ? edge_count : 1), sizeof(jint));
    if (column == NULL) {
        return LW_NO_MEMORY;
    }
    jintArray targets[4] = {from, to, kinds, indexes};
    for (int field = 0; field < 4; field++) {
        for (jint i = 0; i < edge_count; i++) {
            column[i] = field == 0 ? edges[i].from : field == 1 ? edges[i].to : field == 2 ? edges[i].kind
                                                                                          : edges[i].index;
        }
        (*jni)->SetIntArrayRegion(jni, targets[field], 0, edge_count, column);
    }
    free(column);
    return edge_count;
}

/* Copies each node's flags, root kind, root method and root thread (arrays at least the node count long). */
JNIEXPORT jint JNICALL Java_dev_leakwatch_agent_holders_HeapWalk_nodes0(JNIEnv *jni, jclass type, jintArray flags,
        jintArray root_kinds, jlongArray root_methods, jlongArray root_threads) {
    (void) type;
    if ((*jni)->GetArrayLength(jni, flags) < node_count || (*jni)->GetArrayLength(jni, root_kinds) < node_count
            || (*jni)->GetArrayLength(jni, root_methods) < node_count
            || (*jni)->GetArrayLength(jni, root_threads) < node_count) {
        return LW_BAD_ARGUMENT;
    }
    for (jint i = 0; i < node_count; i++) {
        (*jni)->SetIntArrayRegion(jni, flags, i, 1, &nodes[i].flags);
        (*jni)->SetIntArrayRegion(jni, root_kinds, i, 1, &nodes[i].root_kind);
        (*jni)->SetLongArrayRegion(jni, root_methods, i, 1, &nodes[i].root_method);
        (*jni)->SetLongArrayRegion(jni, root_threads, i, 1, &nodes[i].root_thread);
    }
    return node_count;
}

/*
 * The objects of the given nodes (node ids, from 1), null for those collected since: a few dozen at a time, since
 * the JVM scans its whole tag map once per call and compares each entry with every tag asked for.
 */
JNIEXPORT jobjectArray JNICALL Java_dev_leakwatch_agent_holders_HeapWalk_objects0(JNIEnv *jni, jclass type,
        jintArray node_ids) {
    (void) type;
    if (walk_env == NULL) {
        return NULL;
    }
    jint wanted = (*jni)->GetArrayLength(jni, node_ids);
    jclass object_type = (*jni)->FindClass(jni, "java/lang/Object");
    if (object_type == NULL) {
        (*jni)->ExceptionClear(jni);
        return NULL;
    }
    jobjectArray result = (*jni)->NewObjectArray(jni, wanted, object_type, NULL);
    if (result == NULL || wanted == 0) {
        (*jni)->ExceptionClear(jni);
        return result;
    }
    jint *ids = calloc((size_t) wanted, sizeof(jint));
    jlong *tags = calloc((size_t) wanted, sizeof(jlong));
    if (ids == NULL || tags == NULL) {
        free(ids);
        free(tags);
        return result;
    }
    (*jni)->GetIntArrayRegion(jni, node_ids, 0, wanted, ids);
    for (jint i = 0; i < wanted; i++) {
        tags[i] = ids[i] >= 1 ? ids[i] : -1; /* never 0, which JVMTI refuses */
    }
    jint found = 0;
    jobject *objects = NULL;
    jlong *found_tags = NULL;
    if ((*walk_env)->GetObjectsWithTags(walk_env, wanted, tags, &found, &objects, &found_tags) == JVMTI_ERROR_NONE) {
        for (jint i = 0; i < found; i++) {
            for (jint j = 0; j < wanted; j++) {
                if (tags[j] == found_tags[i]) {
                    (*jni)->SetObjectArrayElement(jni, result, j, objects[i]);
                }
            }
            (*jni)->DeleteLocalRef(jni, objects[i]);
        }
        (*walk_env)->Deallocate(walk_env, (unsigned char *) objects);
        (*walk_env)->Deallocate(walk_env, (unsigned char *) found_tags);
    }
    free(ids);
    free(tags);
    return result;
}

/* Ends the walk: its environment disposed, which clears every tag it set, and its tables freed. Idempotent. */
JNIEXPORT void JNICALL Java_dev_leakwatch_agent_holders_HeapWalk_end0(JNIEnv *jni, jclass type) {
    (void) jni;
    (void) type;
    if (walk_env != NULL) {
        (*walk_env)->DisposeEnvironment(walk_env);
        walk_env = NULL;
    }
    free_walk();
}

static jstring utf(JNIEnv *jni, const char *text) {
    jstring string = text == NULL ? NULL : (*jni)->NewStringUTF(jni, text);
    if (string == NULL) {
        (*jni)->ExceptionClear(jni);
    }
    return string;
}

/*
 * Finds the field of `klass` (its own static fields when `statics`, else the instance fields of it and its
 * superclasses) that holds `value` now, by comparing values rather than trusting the walk's field index: JVMTI numbers
 * fields across superclasses and interfaces, and a reflective lookup would miss the fields the JDK filters out of
 * reflection (ClassLoader's, for one). Returns {declaring class signature, field name}, or null when no field holds it
 * (it changed since the walk).
 */
static jobjectArray find_field(JNIEnv *jni, jvmtiEnv *env, jobject holder, jclass klass, jobject value, int statics,
        int by_class, int *matches) {
    jobjectArray result = NULL;
    jclass value_class = by_class ? (*jni)->GetObjectClass(jni, value) : NULL;
    jclass current = (*jni)->NewLocalRef(jni, klass);
    while (current != NULL && (result == NULL || by_class)) {
        jint count = 0;
        jfieldID *fields = NULL;
        if ((*env)->GetClassFields(env, current, &count, &fields) == JVMTI_ERROR_NONE) {
            for (jint i = 0; i < count && (result == NULL || by_class); i++) {
                jint modifiers = 0;
                char *name = NULL;
                char *signature = NULL;
                if ((*env)->GetFieldModifiers(env, current, fields[i], &modifiers) != JVMTI_ERROR_NONE
                        || ((modifiers & 0x0008) != 0) != (statics != 0)
                        || (*env)->GetFieldName(env, current, fields[i], &name, &signature, NULL)
                                != JVMTI_ERROR_NONE) {
                    continue;
                }
                if (signature != NULL && (signature[0] == 'L' || signature[0] == '[')) {
                    jobject held = statics ? (*jni)->GetStaticObjectField(jni, current, fields[i])
                                           : (*jni)->GetObjectField(jni, holder, fields[i]);
                    int match = 0;
                    if (held != NULL && by_class) {
                        jclass held_class = (*jni)->GetObjectClass(jni, held);
                        match = (*jni)->IsSameObject(jni, held_class, value_class);
                        (*jni)->DeleteLocalRef(jni, held_class);
                    } else if (held != NULL) {
                        match = (*jni)->IsSameObject(jni, held, value);
                    }
                    if (match) {
                        (*matches)++;
                    }
                    if (match && result == NULL) {
                        char *declaring = NULL;
                        jclass string_type = (*jni)->FindClass(jni, "java/lang/String");
                        if ((*env)->GetClassSignature(env, current, &declaring, NULL) == JVMTI_ERROR_NONE
                                && string_type != NULL) {
                            result = (*jni)->NewObjectArray(jni, 2, string_type, NULL);
                            if (result != NULL) {
                                (*jni)->SetObjectArrayElement(jni, result, 0, utf(jni, declaring));
                                (*jni)->SetObjectArrayElement(jni, result, 1, utf(jni, name));
                            }
                        }
                        (*jni)->ExceptionClear(jni);
                        (*env)->Deallocate(env, (unsigned char *) declaring);
                    }
                    if (held != NULL) {
                        (*jni)->DeleteLocalRef(jni, held);
                    }
                }
                (*env)->Deallocate(env, (unsigned char *) name);
                (*env)->Deallocate(env, (unsigned char *) signature);
            }
            (*env)->Deallocate(env, (unsigned char *) fields);
        }
        jclass super = statics ? NULL : (*jni)->GetSuperclass(jni, current);
        (*jni)->DeleteLocalRef(jni, current);
        current = super;
    }
    if (current != NULL) {
        (*jni)->DeleteLocalRef(jni, current);
    }
    if (value_class != NULL) {
        (*jni)->DeleteLocalRef(jni, value_class);
    }
    return result;
}

/*
 * The field that holds `value`; when none holds it any more (a list grew and replaced its array since the walk), the
 * one field whose value now is of the same class, if exactly one is.
 */
static jobjectArray holding_field(JNIEnv *jni, jvmtiEnv *env, jobject holder, jclass klass, jobject value,
        int statics) {
    int matches = 0;
    jobjectArray found = find_field(jni, env, holder, klass, value, statics, 0, &matches);
    if (found != NULL) {
        return found;
    }
    matches = 0;
    found = find_field(jni, env, holder, klass, value, statics, 1, &matches);
    if (found != NULL && matches != 1) {
        (*jni)->DeleteLocalRef(jni, found);
        return NULL;
    }
    return found;
}

/* The field through which `holder` refers to `value`: see find_field. A static field when `holder` is a class. */
JNIEXPORT jobjectArray JNICALL Java_dev_leakwatch_agent_holders_HeapWalk_field0(JNIEnv *jni, jclass type,
        jobject holder, jobject value, jboolean is_static) {
    (void) type;
    if (walk_env == NULL || holder == NULL || value == NULL) {
        return NULL;
    }
    if (is_static) {
        return holding_field(jni, walk_env, NULL, (jclass) holder, value, 1);
    }
    jclass klass = (*jni)->GetObjectClass(jni, holder);
    jobjectArray result = holding_field(jni, walk_env, holder, klass, value, 0);
    (*jni)->DeleteLocalRef(jni, klass);
    return result;
}

/* A method's declaring class signature and name, for a stack-local root; null when it is gone. */
JNIEXPORT jobjectArray JNICALL Java_dev_leakwatch_agent_holders_HeapWalk_method0(JNIEnv *jni, jclass type,
        jlong method_id) {
    (void) type;
    if (walk_env == NULL || method_id == 0) {
        return NULL;
    }
    jmethodID method = (jmethodID) (intptr_t) method_id;
    jclass declaring = NULL;
    char *signature = NULL;
    char *name = NULL;
    jobjectArray result = NULL;
    if ((*walk_env)->GetMethodDeclaringClass(walk_env, method, &declaring) == JVMTI_ERROR_NONE
            && (*walk_env)->GetClassSignature(walk_env, declaring, &signature, NULL) == JVMTI_ERROR_NONE
            && (*walk_env)->GetMethodName(walk_env, method, &name, NULL, NULL) == JVMTI_ERROR_NONE) {
        jclass string_type = (*jni)->FindClass(jni, "java/lang/String");
        if (string_type != NULL) {
            result = (*jni)->NewObjectArray(jni, 2, string_type, NULL);
        }
        if (result != NULL) {
            (*jni)->SetObjectArrayElement(jni, result, 0, utf(jni, signature));
            (*jni)->SetObjectArrayElement(jni, result, 1, utf(jni, name));
        }
        (*jni)->ExceptionClear(jni);
    }
    (*walk_env)->Deallocate(walk_env, (unsigned char *) signature);
    (*walk_env)->Deallocate(walk_env, (unsigned char *) name);
    if (declaring != NULL) {
        (*jni)->DeleteLocalRef(jni, declaring);
    }
    return result;
}
