// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubiinspectorglobal.h"

#include <QtCore/QAbstractItemModel>
#include <QtCore/QJsonArray>
#include <QtCore/QMultiHash>
#include <QtCore/QPointer>
#include <QtCore/QStringList>

#include <memory>

class MusubiStoreTree;

namespace Musubi::detail {
struct WireNode;
}

class MUSUBI_INSPECTOR_EXPORT MusubiInspectorStoreModel : public QAbstractItemModel
{
    Q_OBJECT
    Q_PROPERTY(MusubiStoreTree *tree READ tree WRITE setTree NOTIFY treeChanged)
    Q_MOC_INCLUDE("musubistoretree.h")
public:
    enum Role {
        KeyRole = Qt::UserRole + 1,
        ValueRole,
        TypeRole,
        ChangedAtRole,
        StoreIdRole,
    };
    Q_ENUM(Role)

    explicit MusubiInspectorStoreModel(QObject *parent = nullptr);
    ~MusubiInspectorStoreModel() override;

    MusubiStoreTree *tree() const;
    void setTree(MusubiStoreTree *tree);

    Q_INVOKABLE int createdNodeCount() const;
    Q_INVOKABLE QModelIndex find(const QStringList &keys) const;

    QModelIndex index(int row, int column,
                      const QModelIndex &parent = QModelIndex()) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    bool hasChildren(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    void treeChanged();

private:
    struct Node;
    struct Desc;
    struct Signature;
    Node *nodeOf(const QModelIndex &index) const;
    QModelIndex indexOf(const Node *node) const;
    const Musubi::detail::WireNode *wireNodeOf(const Node *node) const;
    QList<Desc> describeChildren(const Node *node) const;
    void populate(Node *node) const;
    std::unique_ptr<Node> makeNode(Node *parent, const Desc &desc) const;
    void present(Node *node) const;
    void release(Node *node) const;
    void collapse(Node *node);
    bool updateSignature(Node *node) const;
    void refresh(Node *node);
    void refreshRow(Node *node);
    void watch(Node *node) const;
    void unwatch(Node *node) const;
    void storesChanged(const QList<QJsonArray> &ids);
    void storesRemoved(const QList<QJsonArray> &ids);

    QPointer<MusubiStoreTree> m_tree;
    std::unique_ptr<Node> m_root; // the root store: its keys are the top-level rows
    mutable QMultiHash<QStringList, Node *> m_storeNodes; // rows of stores, by store id
    mutable int m_nodes = 0;
};
