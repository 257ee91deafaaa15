// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include <QtWidgets/QStyledItemDelegate>

/*!
    \class ChatMessageDelegate
    \brief Paints a \c Demo.ChatStore message: the author in bold, the time, the body.

    MusubiStreamModel's display role is the item as compact JSON; the delegate
    reads the \c item role (a QVariantMap) instead.
*/
class ChatMessageDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};
